import { describe, expect, it } from 'vitest'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { formFields, imageInput, rangeWarning, rowDims, tabularFeeds, type NumberField } from './feeds'

/** What a Pipewright-trained tabular model's metadata looks like: one [N, 1] input per column. */
const trained: ModelMetadata = {
  task: 'classification',
  label: 'class',
  labels: ['large', 'medium', 'small'],
  features: [
    { name: 'size [cm]', kind: 'number' },
    { name: 'colour', kind: 'category', categories: ['blue', 'red'] },
  ],
  inputs: [
    { name: 'size [cm]', type: 'float32', shape: ['N', 1] },
    { name: 'colour', type: 'string', shape: ['N', 1] },
  ],
  outputs: [
    { name: 'label', type: 'string', shape: ['N'] },
    { name: 'probabilities', type: 'float32', shape: ['N', 3] },
  ],
  referenceProfile: [
    { name: 'size [cm]', kind: 'number', count: 600, nulls: 0, min: 0.12, max: 99.87, mean: 49.123456789, std: 28.9, histogram: { edges: [0, 50, 100], counts: [300, 300] } },
    { name: 'colour', kind: 'category', count: 600, nulls: 200, categories: [{ value: 'blue', count: 150 }, { value: 'red', count: 250 }] },
  ],
  algorithm: 'logistic-regression',
}

describe('the preview form, from the features and the reference profile', () => {
  it('prefills numbers with the training mean and shows the range; categories most frequent first', () => {
    const fields = formFields(trained)
    expect(fields).toEqual([
      { kind: 'number', id: 'f0', input: 'size [cm]', element: 0, label: 'size [cm]', range: { min: 0.12, max: 99.87, mean: 49.123456789 }, initial: '49.1235' },
      { kind: 'category', id: 'f1', input: 'colour', label: 'colour', categories: ['red', 'blue'], initial: 'red' },
    ])
  })

  it('warns only outside the training range, not for a missing value', () => {
    const size = formFields(trained)[0] as NumberField
    expect(rangeWarning(size, '50')).toBeNull()
    expect(rangeWarning(size, '')).toBeNull()
    expect(rangeWarning(size, '120')).toBe('outside the training range 0.12 – 99.87')
    expect(rangeWarning(size, '-1')).toContain('outside')
  })

  it('turns the texts into [1, 1] feeds: NaN for a missing number, "" for a missing category, an unseen category as typed', () => {
    const fields = formFields(trained)
    const filled = tabularFeeds(trained, fields, { f0: ' 12.5 ', f1: 'green' })
    expect(filled.errors).toEqual({})
    expect(filled.feeds['size [cm]']).toEqual({ type: 'float32', data: Float32Array.from([12.5]), dims: [1, 1] })
    expect(filled.feeds.colour).toEqual({ type: 'string', data: ['green'], dims: [1, 1] })
    expect(filled.record).toEqual({ 'size [cm]': 12.5, colour: 'green' })

    const missing = tabularFeeds(trained, fields, { f0: '', f1: '' })
    expect(Number.isNaN((missing.feeds['size [cm]']!.data as Float32Array)[0])).toBe(true)
    expect(missing.feeds.colour!.data).toEqual([''])
    expect(missing.record).toEqual({ 'size [cm]': null, colour: null })
  })

  it('refuses text that is no number, naming it', () => {
    const fields = formFields(trained)
    expect(tabularFeeds(trained, fields, { f0: '12,5', f1: 'red' }).errors).toEqual({ f0: '"12,5" is not a number' })
    expect(tabularFeeds(trained, fields, { f0: 'Infinity', f1: 'red' }).errors.f0).toContain('not a number')
  })

  it('gives an imported [N, 2] input one field per element, with no profile, and feeds them as one row', () => {
    const imported: ModelMetadata = { ...trained, features: [{ name: 'features', kind: 'number' }], inputs: [{ name: 'features', type: 'float32', shape: ['batch', 2] }], referenceProfile: undefined }
    const fields = formFields(imported)
    expect(fields.map((f) => [f.label, f.initial, f.kind === 'number' ? f.range : 'x'])).toEqual([
      ['features[0]', '0', null],
      ['features[1]', '0', null],
    ])
    const { feeds, record } = tabularFeeds(imported, fields, { f0: '1.5', f1: '-2' })
    expect(feeds.features).toEqual({ type: 'float32', data: Float32Array.from([1.5, -2]), dims: [1, 2] })
    expect(record).toEqual({ features: [1.5, -2] })
  })

  it('feeds other element types as their typed arrays', () => {
    const typed: ModelMetadata = { ...trained, features: [], inputs: [{ name: 'n', type: 'int64', shape: ['N', 1] }, { name: 'd', type: 'float64', shape: ['N', 1] }], referenceProfile: undefined }
    const { feeds } = tabularFeeds(typed, formFields(typed), { f0: '7', f1: '0.1' })
    expect(feeds.n!.data).toEqual(BigInt64Array.from([7n]))
    expect(feeds.d!.data).toEqual(Float64Array.from([0.1]))
  })

  it('leaves an image input out of the form and finds it as the image input', () => {
    const cnn: ModelMetadata = { ...trained, features: [{ name: 'image', kind: 'image', width: 16, height: 16 }], inputs: [{ name: 'image', type: 'uint8', shape: ['N', 'H', 'W', 3] }], referenceProfile: undefined }
    expect(formFields(cnn)).toEqual([])
    expect(imageInput(cnn)?.name).toBe('image')
    expect(imageInput(trained)).toBeUndefined()
    // an imported CNN with dynamic sides: its features call the input a number, its shape says image
    const imported: ModelMetadata = { ...cnn, features: [{ name: 'image', kind: 'number' }] }
    expect(formFields(imported)).toEqual([])
    expect(imageInput(imported)?.name).toBe('image')
    expect(rowDims({ name: 'x', type: 'float32', shape: ['N'] })).toEqual([1])
  })
})
