import ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { headOnlyModel } from '@/nodes/_lib/models/head-model'
import { headInput, headOutput } from '@/nodes/_lib/models/onnx-head'
import { predictDense } from './dense-net'
import { denseHead } from './onnx-export'
import { blobs, regression } from './synthetic'
import { trainTabular } from './train'
import type { TabularJobInput } from './params'

async function runHead(job: TabularJobInput, rows: Float32Array) {
  const result = await trainTabular(job)
  const head = denseHead(result.weights, 'tab_')
  const outputs = result.weights.layers.at(-1)!.outputs
  const session = await ort.InferenceSession.create(headOnlyModel(head, [job.featureCount], outputs))
  const out = await session.run({ [headInput]: new ort.Tensor('float32', rows, [rows.length / job.featureCount, job.featureCount]) })
  const scores = out[headOutput]!
  return { head, scores, expected: await predictDense(result.weights, rows) }
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
  return worst
}

const test = blobs(500, 6, 3, 21).features

describe('dense weights as an ONNX head', () => {
  it('logistic regression: probabilities in onnxruntime equal TensorFlow.js to 1e-5 on 500 rows', async () => {
    const { head, scores, expected } = await runHead({ algorithm: 'logistic-regression', featureCount: 6, classes: 3, train: blobs(600, 6, 3, 4), params: { epochs: 5 } }, test)
    expect(head.probabilities).toBe(true)
    expect(scores.dims).toEqual([500, 3])
    expect(maxDifference(scores.data as Float32Array, expected)).toBeLessThan(1e-5)
    expect(head.nodes.map((n) => n.opType)).toEqual(['Gemm', 'Softmax'])
  })

  it('MLP classifier with two hidden layers: Gemm, Relu, Gemm, Relu, Gemm, Softmax; names prefixed', async () => {
    const { head, scores, expected } = await runHead({ algorithm: 'mlp-classifier', featureCount: 6, classes: 3, train: blobs(600, 6, 3, 4), params: { hiddenLayers: [16, 8], epochs: 5 } }, test)
    expect(head.nodes.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm', 'Softmax'])
    const inner = [...head.nodes.flatMap((n) => [...(n.input ?? []), ...(n.output ?? [])]), ...head.initializers.map((t) => t.name!)].filter((name) => name !== headInput && name !== headOutput)
    expect(inner.every((name) => name.startsWith('tab_'))).toBe(true)
    expect(maxDifference(scores.data as Float32Array, expected)).toBeLessThan(1e-5)
    const rowSums = Array.from({ length: 500 }, (_, r) => [0, 1, 2].reduce((s, k) => s + (scores.data as Float32Array)[r * 3 + k]!, 0))
    expect(maxDifference(rowSums, new Array(500).fill(1))).toBeLessThan(1e-5)
  })

  it('MLP regressor and ridge: values [N, 1] equal TensorFlow.js to 1e-5 of their scale', async () => {
    const train = regression(600, 6, 8, 0.3, true)
    for (const job of [
      { algorithm: 'mlp-regressor', featureCount: 6, train, params: { hiddenLayers: [16], epochs: 5 } },
      { algorithm: 'ridge', featureCount: 6, train },
    ] satisfies TabularJobInput[]) {
      const { head, scores, expected } = await runHead(job, test)
      expect(head.probabilities).toBe(false)
      expect(scores.dims).toEqual([500, 1])
      const scale = Math.max(1, ...Array.from(expected, Math.abs))
      expect(maxDifference(scores.data as Float32Array, expected) / scale).toBeLessThan(1e-5)
    }
  })
})
