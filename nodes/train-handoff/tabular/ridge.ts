// Ridge regression in closed form: (XᵀX + λI) w = Xᵀy in float64, with an unpenalised intercept
// (the features and target are centred first). F is small for tables, so the F×F solve is instant
// and needs no iterations, no learning rate and no seed.
import type { DenseWeights } from './dense-net'

function columnMeans(features: Float32Array, rows: number, f: number): Float64Array {
  const means = new Float64Array(f)
  for (let r = 0; r < rows; r++) for (let j = 0; j < f; j++) means[j]! += features[r * f + j]!
  return means.map((m) => m / Math.max(1, rows))
}

/** Cholesky solve of the symmetric positive definite system `a` (n×n, row-major) x = b, in place. */
export function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!
    for (let k = 0; k < j; k++) d -= a[j * n + k]! ** 2
    if (!(d > 0)) throw new Error('ridge: the features are collinear; raise l2 above 0')
    const diagonal = Math.sqrt(d)
    a[j * n + j] = diagonal
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!
      a[i * n + j] = s / diagonal
    }
  }
  const x = Float64Array.from(b)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) x[i]! -= a[i * n + k]! * x[k]!
    x[i]! /= a[i * n + i]!
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) x[i]! -= a[k * n + i]! * x[k]!
    x[i]! /= a[i * n + i]!
  }
  return x
}

export function fitRidge(features: Float32Array, targets: Float32Array, featureCount: number, l2: number): DenseWeights {
  const rows = targets.length
  const f = featureCount
  const means = columnMeans(features, rows, f)
  let yMean = 0
  for (const y of targets) yMean += y / rows
  const gram = new Float64Array(f * f)
  const moment = new Float64Array(f)
  const centred = new Float64Array(f)
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < f; j++) centred[j] = features[r * f + j]! - means[j]!
    const y = targets[r]! - yMean
    for (let i = 0; i < f; i++) {
      const ci = centred[i]!
      moment[i]! += ci * y
      for (let j = 0; j <= i; j++) gram[i * f + j]! += ci * centred[j]!
    }
  }
  for (let i = 0; i < f; i++) {
    gram[i * f + i]! += l2
    for (let j = 0; j < i; j++) gram[j * f + i] = gram[i * f + j]!
  }
  const w = solveSymmetric(gram, moment, f)
  let intercept = yMean
  for (let j = 0; j < f; j++) intercept -= w[j]! * means[j]!
  return { output: 'identity', layers: [{ inputs: f, outputs: 1, weight: Float32Array.from(w), bias: Float32Array.of(intercept) }] }
}

/** Predictions [rows] of a one-layer identity model, in float64 then rounded. */
export function predictLinear(weights: DenseWeights, features: Float32Array): Float32Array {
  const layer = weights.layers[0]!
  const rows = features.length / layer.inputs
  const out = new Float32Array(rows)
  for (let r = 0; r < rows; r++) {
    let s = layer.bias[0]!
    for (let j = 0; j < layer.inputs; j++) s += features[r * layer.inputs + j]! * layer.weight[j]!
    out[r] = s
  }
  return out
}
