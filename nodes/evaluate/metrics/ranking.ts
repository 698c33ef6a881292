// Metrics of a classifier's scores rather than its answers, as scikit-learn 1.2 computes them:
// ROC and precision-recall curves (ties in the score make one point), ROC-AUC, average precision
// and log loss. Several classes are scored one-vs-rest and macro-averaged. Pure TypeScript.

export interface CurvePoints {
  /** ROC: false positive rate; PR: recall */
  x: number[]
  /** ROC: true positive rate; PR: precision */
  y: number[]
  /** the score at or above which a row counts as positive, per point */
  thresholds: number[]
}

/** Cumulative true and false positives at each distinct score, highest score first. */
function positivesByThreshold(isPositive: readonly boolean[], scores: ArrayLike<number>) {
  const order = Array.from({ length: isPositive.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!)
  const tps: number[] = []
  const fps: number[] = []
  const thresholds: number[] = []
  let tp = 0
  let fp = 0
  for (let k = 0; k < order.length; k++) {
    const row = order[k]!
    if (isPositive[row]) tp++
    else fp++
    const next = order[k + 1]
    if (next === undefined || scores[next] !== scores[row]) {
      tps.push(tp)
      fps.push(fp)
      thresholds.push(scores[row]!)
    }
  }
  return { tps, fps, thresholds }
}

/**
 * The ROC curve with scikit-learn's `drop_intermediate`: points on a straight segment are left
 * out, and the curve starts at (0, 0). Rates are NaN when the truth has no positives (or negatives).
 */
export function rocCurve(isPositive: readonly boolean[], scores: ArrayLike<number>): CurvePoints {
  const { tps, fps, thresholds } = positivesByThreshold(isPositive, scores)
  const keep = tps.map((_, i) => i === 0 || i === tps.length - 1 || fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 || tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0)
  const kept = (values: number[]) => values.filter((_, i) => keep[i])
  const [tp, fp, th] = [[0, ...kept(tps)], [0, ...kept(fps)], kept(thresholds)]
  const positives = tp.at(-1)!
  const negatives = fp.at(-1)!
  return { x: fp.map((v) => v / negatives), y: tp.map((v) => v / positives), thresholds: [th[0]! + 1, ...th] }
}

/** The precision-recall curve as scikit-learn draws it: recall falling to the final point (recall 0, precision 1). */
export function precisionRecallCurve(isPositive: readonly boolean[], scores: ArrayLike<number>): CurvePoints {
  const { tps, fps, thresholds } = positivesByThreshold(isPositive, scores)
  const positives = tps.at(-1)!
  const precision = tps.map((tp, i) => tp / (tp + fps[i]!))
  const recall = tps.map((tp) => (positives === 0 ? 1 : tp / positives))
  return { x: [...recall.reverse(), 0], y: [...precision.reverse(), 1], thresholds: thresholds.reverse() }
}

/** The area under the ROC curve (trapezoids); null when the truth is all positive or all negative. */
export function binaryRocAuc(isPositive: readonly boolean[], scores: ArrayLike<number>): number | null {
  const positives = isPositive.filter(Boolean).length
  if (positives === 0 || positives === isPositive.length) return null
  const { x, y } = rocCurve(isPositive, scores)
  let area = 0
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2
  return area
}

/** Σ (Rₙ − Rₙ₋₁) Pₙ over the PR curve; null without a positive row. */
export function binaryAveragePrecision(isPositive: readonly boolean[], scores: ArrayLike<number>): number | null {
  if (!isPositive.some(Boolean)) return null
  const { x: recall, y: precision } = precisionRecallCurve(isPositive, scores)
  let sum = 0
  for (let i = 0; i < recall.length - 1; i++) sum += (recall[i]! - recall[i + 1]!) * precision[i]!
  return sum
}

/** A model's probabilities: row-major [rows × labels.length], columns in the model's label order. */
export interface Probabilities {
  labels: readonly string[]
  values: ArrayLike<number>
}

export interface ClassCurves {
  label: string
  roc: CurvePoints
  pr: CurvePoints
  roc_auc: number | null
  average_precision: number | null
}

export interface RankingResult {
  /** binary: of the second class (the positive one, as scikit-learn takes it); several: macro one-vs-rest over the classes present */
  roc_auc: number | null
  average_precision: number | null
  log_loss: number | null
  /** one per class of the model (binary: just the positive class) */
  curves: ClassCurves[]
}

function column(probabilities: Probabilities, k: number): Float64Array {
  const classes = probabilities.labels.length
  const rows = probabilities.values.length / classes
  const out = new Float64Array(rows)
  for (let i = 0; i < rows; i++) out[i] = probabilities.values[i * classes + k]!
  return out
}

function mean(values: (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null)
  return defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length
}

export function rankingMetrics(truth: readonly string[], probabilities: Probabilities): RankingResult {
  const { labels } = probabilities
  if (probabilities.values.length !== truth.length * labels.length) {
    throw new Error(`${truth.length} rows need ${truth.length * labels.length} probabilities, not ${probabilities.values.length}`)
  }
  const scored = labels.length === 2 ? [1] : labels.map((_, k) => k)
  const curves = scored.map((k): ClassCurves => {
    const isPositive = truth.map((t) => t === labels[k])
    const scores = column(probabilities, k)
    return { label: labels[k]!, roc: rocCurve(isPositive, scores), pr: precisionRecallCurve(isPositive, scores), roc_auc: binaryRocAuc(isPositive, scores), average_precision: binaryAveragePrecision(isPositive, scores) }
  })
  return {
    roc_auc: mean(curves.map((c) => c.roc_auc)),
    average_precision: mean(curves.map((c) => c.average_precision)),
    log_loss: logLoss(truth, probabilities),
    curves,
  }
}

/**
 * Mean −log p(true class), probabilities clipped to [ε, 1−ε] (ε of float64) and renormalised per
 * row, as scikit-learn's eps="auto". Null when a true label is not one of the model's classes or
 * the model has a single class.
 */
export function logLoss(truth: readonly string[], probabilities: Probabilities): number | null {
  const { labels, values } = probabilities
  if (labels.length < 2 || truth.length === 0) return null
  const index = new Map(labels.map((l, k) => [l, k]))
  const epsilon = Number.EPSILON
  const clip = (p: number) => Math.min(1 - epsilon, Math.max(epsilon, p))
  let total = 0
  for (let i = 0; i < truth.length; i++) {
    const k = index.get(truth[i]!)
    if (k === undefined) return null
    let sum = 0
    for (let j = 0; j < labels.length; j++) sum += clip(values[i * labels.length + j]!)
    total -= Math.log(clip(values[i * labels.length + k]!) / sum)
  }
  return total / truth.length
}

/** At most `max` points of a curve, evenly picked, the first and last kept: enough to draw it. */
export function thinCurve(curve: CurvePoints, max = 200): CurvePoints {
  const n = curve.x.length
  if (n <= max) return curve
  const picks = Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)))
  return { x: picks.map((i) => curve.x[i]!), y: picks.map((i) => curve.y[i]!), thresholds: picks.map((i) => curve.thresholds[Math.min(i, curve.thresholds.length - 1)]!) }
}
