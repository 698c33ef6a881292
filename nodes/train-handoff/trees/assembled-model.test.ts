// The trees behind the node's preprocessing, assembled as train-tabular assembles them, run in
// onnxruntime-node and onnxruntime-web (wasm): the same numbers as the in-memory model, to 1e-5.
import { describe, expect, it } from 'vitest'
import { assembleModel } from '../onnx/assemble'
import { featureWidth, fitTabularPreprocess, preprocessRows, tabularInputs, tabularPreprocessGraph } from '../onnx/tabular-preprocess'
import { floats, maxAbsDiff, runModel, runtimes, strings } from '../onnx/test-runtimes'
import { trainInWorker } from '../worker/train-in-worker'
import { predictProbabilities } from './gbdt'
import { treesToOnnxHead } from './onnx-export'
import { treeFeatures, treeRows, type Structure } from './test-tables'
import { trainTreesJob } from './train'

async function trained(structure: Structure) {
  const train = treeRows(2000, 1, structure)
  // held out: other rows, and a colour the training data never had
  const heldOut = treeRows(500, 2, structure, ['red', 'blue', null, 'green'])
  const fitted = fitTabularPreprocess(train.rows, treeFeatures)
  const classification = structure !== 'wave'
  const labels = classification ? [...new Set(train.labels.map(String))].sort() : undefined
  const features = preprocessRows(train.rows, fitted)
  const params = { trees: 30, maxDepth: 5, subsample: 0.8, seed: 3 }
  const featureCount = featureWidth(fitted)
  const result = labels
    ? await trainTreesJob({ algorithm: 'gradient-boosting', task: 'classification', featureCount, classes: labels.length, train: { features, targets: Int32Array.from(train.labels, (l) => labels.indexOf(String(l))) }, params })
    : await trainTreesJob({ algorithm: 'gradient-boosting', task: 'regression', featureCount, train: { features, targets: Float32Array.from(train.labels as number[]) }, params })
  const model = assembleModel({
    preprocess: tabularPreprocessGraph(fitted),
    head: treesToOnnxHead(result.model, { prefix: 'trees/' }),
    task: classification ? 'classification' : 'regression',
    ...(labels ? { labels } : {}),
    metadata: { label: 'label', algorithm: 'gradient-boosting' },
  })
  const expected = predictProbabilities(result.model, preprocessRows(heldOut.rows, fitted))
  return { model, labels, heldOut, expected, fitted }
}

const argmax = (p: Float64Array, r: number, k: number) => {
  let best = 0
  for (let j = 1; j < k; j++) if (p[r * k + j]! > p[r * k + best]!) best = j
  return best
}

describe('gradient-boosted trees in an assembled ONNX model', () => {
  for (const structure of ['xor', 'xor-ring'] as const) {
    for (const runtime of runtimes) {
      it(`${structure} (${structure === 'xor' ? 'binary: sigmoid of one margin' : '3 classes: softmax of 3 logits'}) in ${runtime}: probabilities and labels as the in-memory model`, async () => {
        const { model, labels, heldOut, expected, fitted } = await trained(structure)
        const out = await runModel(runtime, model.bytes, tabularInputs(heldOut.rows, fitted))
        const k = labels!.length
        expect(out.probabilities?.dims).toEqual([500, k])
        expect(maxAbsDiff(floats(out, 'probabilities'), expected)).toBeLessThanOrEqual(1e-5)
        expect(strings(out, 'label')).toEqual(Array.from({ length: 500 }, (_, r) => labels![argmax(expected, r, k)]))
      })
    }
  }

  for (const runtime of runtimes) {
    it(`wave (regression) in ${runtime}: predictions as the in-memory model`, async () => {
      const { model, heldOut, expected, fitted } = await trained('wave')
      const out = await runModel(runtime, model.bytes, tabularInputs(heldOut.rows, fitted))
      expect(out.prediction?.dims).toEqual([500, 1])
      expect(maxAbsDiff(floats(out, 'prediction'), expected)).toBeLessThanOrEqual(1e-5)
    })
  }

  it('trains the same trees in a worker thread as in this thread, with the same curve', async () => {
    const train = treeRows(2000, 1, 'xor-ring')
    const fitted = fitTabularPreprocess(train.rows, treeFeatures)
    const labels = [...new Set(train.labels.map(String))].sort()
    const job = () => ({
      algorithm: 'gradient-boosting' as const,
      task: 'classification' as const,
      featureCount: featureWidth(fitted),
      classes: 3,
      train: { features: preprocessRows(train.rows, fitted), targets: Int32Array.from(train.labels, (l) => labels.indexOf(String(l))) },
      params: { trees: 10, subsample: 0.7, seed: 9 },
    })
    const here = await trainTreesJob(job())
    const there = await trainInWorker(job())
    expect(there.model).toEqual(here.model)
    expect(there.curve).toEqual(here.curve)
    expect(there.curve.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })
})
