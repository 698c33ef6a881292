// Model metadata for the fail-safe's tests: an iris-like classifier with awkward feature names and
// a regressor, each with the reference profile training would have written.
import type { FeatureProfile, ModelMetadata } from '@/nodes/_lib/models/metadata'

function numberProfile(name: string, min: number, max: number, mean: number): FeatureProfile {
  return { name, kind: 'number', count: 150, nulls: 0, min, max, mean, std: (max - min) / 4, histogram: { edges: [min, max], counts: [150] } }
}

export const classifier: ModelMetadata = {
  task: 'classification',
  label: 'species',
  labels: ['setosa', 'versicolor', 'virginica'],
  features: [
    { name: 'petal length', kind: 'number' },
    { name: 'sepal width [cm]', kind: 'number' },
    { name: 'colour (dye)', kind: 'category', categories: ['blue', 'red'] },
    { name: 'constructor', kind: 'number' },
  ],
  inputs: [
    { name: 'petal length', type: 'float32', shape: ['N', 1] },
    { name: 'sepal width [cm]', type: 'float32', shape: ['N', 1] },
    { name: 'colour (dye)', type: 'string', shape: ['N', 1] },
    { name: 'constructor', type: 'float32', shape: ['N', 1] },
  ],
  outputs: [
    { name: 'label', type: 'string', shape: ['N'] },
    { name: 'probabilities', type: 'float32', shape: ['N', 3] },
  ],
  referenceProfile: [
    numberProfile('petal length', 1, 6.9, 3.76),
    numberProfile('sepal width [cm]', 2, 4.4, 3.05),
    { name: 'colour (dye)', kind: 'category', count: 150, nulls: 0, categories: [{ value: 'blue', count: 100 }, { value: 'red', count: 50 }] },
    numberProfile('constructor', 0, 10, 5),
  ],
  algorithm: 'logistic-regression',
}

export const regressor: ModelMetadata = {
  task: 'regression',
  label: 'price',
  features: [
    { name: 'rooms', kind: 'number' },
    { name: 'district', kind: 'category', categories: ['north', 'south'] },
  ],
  inputs: [
    { name: 'rooms', type: 'float32', shape: ['N', 1] },
    { name: 'district', type: 'string', shape: ['N', 1] },
  ],
  outputs: [{ name: 'prediction', type: 'float32', shape: ['N', 1] }],
  referenceProfile: [numberProfile('rooms', 1, 8, 3)],
  algorithm: 'linear-regression',
}

/** An ordinary iris: inside every range, a known colour. */
export const normalFlower = { 'petal length': 4.2, 'sepal width [cm]': 3, 'colour (dye)': 'blue', constructor: 5 }

export const confident = { scores: { setosa: 0.05, versicolor: 0.9, virginica: 0.05 }, label: 'versicolor' }
export const unsure = { scores: { setosa: 0.3, versicolor: 0.4, virginica: 0.3 }, label: 'versicolor' }
