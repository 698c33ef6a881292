// The validation metrics the progress curve reports: accuracy for classifiers, R² for regressors.

/** Share of rows whose highest probability is the true class; `scores` is [rows × classes]. */
export function accuracy(scores: Float32Array, targets: Int32Array, classes: number): number {
  let right = 0
  for (let r = 0; r < targets.length; r++) {
    let best = 0
    for (let k = 1; k < classes; k++) if (scores[r * classes + k]! > scores[r * classes + best]!) best = k
    if (best === targets[r]) right++
  }
  return targets.length === 0 ? 0 : right / targets.length
}

/** Coefficient of determination, 1 − SSres/SStot (0 when the targets do not vary). */
export function rSquared(predictions: Float32Array, targets: Float32Array): number {
  let mean = 0
  for (const y of targets) mean += y
  mean /= Math.max(1, targets.length)
  let residual = 0
  let total = 0
  for (let i = 0; i < targets.length; i++) {
    residual += (targets[i]! - predictions[i]!) ** 2
    total += (targets[i]! - mean) ** 2
  }
  return total === 0 ? 0 : 1 - residual / total
}

export function meanSquaredError(predictions: Float32Array, targets: Float32Array): number {
  let sum = 0
  for (let i = 0; i < targets.length; i++) sum += (targets[i]! - predictions[i]!) ** 2
  return targets.length === 0 ? 0 : sum / targets.length
}
