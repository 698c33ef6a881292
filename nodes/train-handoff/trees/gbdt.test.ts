import ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { headOnlyModel } from '@/nodes/_lib/models/head-model'
import { headInput, headOutput } from '@/nodes/_lib/models/onnx-head'
import { predictMargins, trainTrees, type TreeModel } from './gbdt'
import { treesToOnnxHead } from './onnx-export'

function rng(seed: number) {
  let a = seed
  return () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648)
}
function data(rows: number, F: number, label: (x: Float32Array, o: number, r: () => number) => number, seed = 1, nanRate = 0) {
  const r = rng(seed)
  const x = new Float32Array(rows * F).map(() => (r() < nanRate ? NaN : r() * 4 - 2))
  const y = new Float32Array(rows)
  for (let i = 0; i < rows; i++) y[i] = label(x, i * F, r)
  return { x, y }
}
const xor = (x: Float32Array, o: number) => ((x[o]! > 0) !== (x[o + 1]! > 0) ? 1 : 0)
const accuracy = (m: Float64Array, y: Float32Array) => y.reduce((s, v, i) => s + ((m[i]! > 0 ? 1 : 0) === v ? 1 : 0), 0) / y.length

async function onnxScores(model: TreeModel, x: Float32Array, outputs: number) {
  const session = await ort.InferenceSession.create(headOnlyModel(treesToOnnxHead(model, { prefix: 't_' }), [model.features], outputs))
  const res = await session.run({ [headInput]: new ort.Tensor('float32', x, [x.length / model.features, model.features]) })
  return res[headOutput]!.data as Float32Array
}

describe('gradient-boosted trees', () => {
  it('learns XOR to >= 0.9 accuracy, the same trees from the same seed, and exports the same margins', async () => {
    const train = data(3000, 4, xor, 1, 0.05)
    const test = data(1000, 4, xor, 2, 0.05)
    const opts = { objective: 'binary' as const, nTrees: 40, maxDepth: 4, subsample: 0.8, seed: 7 }
    const a = await trainTrees(train.x, train.y, 4, opts)
    const b = await trainTrees(train.x, train.y, 4, opts)
    const m = predictMargins(a, test.x)
    expect(accuracy(m, test.y)).toBeGreaterThanOrEqual(0.9)
    expect([...predictMargins(b, test.x)]).toEqual([...m])
    const s = await onnxScores(a, test.x, 2)
    for (let i = 0; i < 1000; i++) {
      expect(s[2 * i]).toBe(0)
      expect(Math.abs(s[2 * i + 1]! - m[i]!)).toBeLessThan(1e-5)
    }
  })
  it('fits y = sin(x1) + x2² to R² >= 0.9 and exports it', async () => {
    const f = (x: Float32Array, o: number, r: () => number) => Math.sin(x[o]!) + x[o + 1]! ** 2 + (r() - 0.5) * 0.1
    const train = data(3000, 3, f, 3)
    const test = data(1000, 3, f, 4)
    const model = await trainTrees(train.x, train.y, 3, { objective: 'regression', nTrees: 100, maxDepth: 5, validation: test, patience: 10 })
    const m = predictMargins(model, test.x)
    const mean = test.y.reduce((s, v) => s + v, 0) / 1000
    const r2 = 1 - test.y.reduce((s, v, i) => s + (v - m[i]!) ** 2, 0) / test.y.reduce((s, v) => s + (v - mean) ** 2, 0)
    expect(r2).toBeGreaterThanOrEqual(0.9)
    const s = await onnxScores(model, test.x, 1)
    for (let i = 0; i < 1000; i++) expect(Math.abs(s[i]! - m[i]!)).toBeLessThan(1e-5)
  })
  it('classifies 3 classes by an interaction to >= 0.9 and exports K logits', async () => {
    const f = (x: Float32Array, o: number) => (x[o]! * x[o + 1]! > 0.5 ? 2 : x[o]! > 0 ? 1 : 0)
    const train = data(3000, 3, f, 5)
    const test = data(1000, 3, f, 6, 0.02)
    const model = await trainTrees(train.x, train.y, 3, { objective: 'multiclass', classes: 3, nTrees: 30, maxDepth: 4 })
    const m = predictMargins(model, test.x)
    let right = 0
    for (let i = 0; i < 1000; i++) {
      const row = [m[3 * i]!, m[3 * i + 1]!, m[3 * i + 2]!]
      if (row.indexOf(Math.max(...row)) === test.y[i]) right++
    }
    expect(right / 1000).toBeGreaterThanOrEqual(0.85)
    const s = await onnxScores(model, test.x, 3)
    for (let i = 0; i < 3000; i++) expect(Math.abs(s[i]! - m[i]!)).toBeLessThan(1e-5)
  })
})
