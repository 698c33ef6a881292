import ort from 'onnxruntime-node'
import * as ortWeb from 'onnxruntime-web'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { headOnlyModel } from '@/nodes/_lib/models/head-model'
import { headInput, headOutput } from '@/nodes/_lib/models/onnx-head'
import { cnnConfigSchema, disposeCnn, predictCnn, trainCnn, type TrainedCnn } from './cnn'
import { cnnOnnxHead } from './onnx-export'
import { renderShapes } from './test-shapes'

const size = 28
const heldOut = renderShapes(300, size, 2)
let model: TrainedCnn

function accuracy(probs: Float32Array, labels: Int32Array, classes: number): number {
  let hits = 0
  for (let i = 0; i < labels.length; i++) {
    const row = probs.subarray(i * classes, (i + 1) * classes)
    if (row.indexOf(Math.max(...row)) === labels[i]) hits++
  }
  return hits / labels.length
}

beforeAll(async () => {
  model = await trainCnn(renderShapes(600, size, 1), {
    height: size,
    width: size,
    classes: 3,
    config: cnnConfigSchema.parse({ epochs: 6, seed: 3 }),
    validation: heldOut,
  })
})
afterAll(() => disposeCnn(model))

describe('the CNN on squares, circles and stripes at 28×28', () => {
  it('tells the three shapes apart on held-out images', () => {
    expect(model.curve.length).toBeGreaterThan(0)
    expect(accuracy(predictCnn(model, heldOut.features, heldOut.count), heldOut.labels, 3)).toBeGreaterThanOrEqual(0.9)
  })

  it('reports a falling training loss per epoch with validation metrics', () => {
    const first = model.curve[0]!
    const last = model.curve.at(-1)!
    expect(last.train_loss).toBeLessThan(first.train_loss)
    expect(model.curve.map((p) => p.step)).toEqual(model.curve.map((_, i) => i + 1))
    expect(last.val_accuracy).toBeGreaterThan(0.8)
    expect(last.val_loss).toBeGreaterThan(0)
  })
})

describe('the CNN as an ONNX head', () => {
  const count = 64
  const batch = heldOut.features.subarray(0, count * 3 * size * size)

  it('gives the same probabilities in onnxruntime-node as in TensorFlow.js', async () => {
    const head = cnnOnnxHead(model)
    expect(head.probabilities).toBe(true)
    expect(head.nodes.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Softmax'])
    const session = await ort.InferenceSession.create(headOnlyModel(head, [3, size, size], 3))
    const result = await session.run({ [headInput]: new ort.Tensor('float32', Float32Array.from(batch), [count, 3, size, size]) })
    const onnxProbs = result[headOutput]!.data as Float32Array
    const tfProbs = predictCnn(model, batch, count)
    expect(onnxProbs.length).toBe(count * 3)
    const worst = Math.max(...tfProbs.map((p, i) => Math.abs(p - onnxProbs[i]!)))
    expect(worst).toBeLessThan(1e-5)
  })

  it('runs in onnxruntime-web under Node with the same probabilities', async () => {
    const session = await ortWeb.InferenceSession.create(headOnlyModel(cnnOnnxHead(model), [3, size, size], 3))
    const result = await session.run({ [headInput]: new ortWeb.Tensor('float32', Float32Array.from(batch), [count, 3, size, size]) })
    const webProbs = result[headOutput]!.data as Float32Array
    const tfProbs = predictCnn(model, batch, count)
    expect(Math.max(...tfProbs.map((p, i) => Math.abs(p - webProbs[i]!)))).toBeLessThan(1e-5)
  })
})
