// Regression metrics as scikit-learn computes them: MAE, RMSE and R² (1 for a perfect fit of a
// constant truth, 0 for an imperfect one, as r2_score does; not defined for a single row, where
// scikit-learn answers NaN and this answers null).

export interface RegressionMetrics {
  mae: number
  rmse: number
  r2: number | null
}

export function regressionMetrics(truth: readonly number[], predicted: readonly number[]): RegressionMetrics {
  if (truth.length !== predicted.length) throw new Error(`${truth.length} true values but ${predicted.length} predictions`)
  const n = truth.length
  if (n === 0) throw new Error('no rows to score')
  let absolute = 0
  let squared = 0
  let sum = 0
  for (let i = 0; i < n; i++) {
    const error = truth[i]! - predicted[i]!
    absolute += Math.abs(error)
    squared += error * error
    sum += truth[i]!
  }
  const mean = sum / n
  let total = 0
  for (const value of truth) total += (value - mean) ** 2
  const r2 = n < 2 ? null : total === 0 ? (squared === 0 ? 1 : 0) : 1 - squared / total
  return { mae: absolute / n, rmse: Math.sqrt(squared / n), r2 }
}
