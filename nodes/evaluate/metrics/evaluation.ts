// One evaluation's numbers from the truth and the model's answers: the flat `metrics` a gate reads
// (snake_case, as the report's contract names them) and the detail the report draws.
import { classificationMetrics, type ClassScores } from './classification'
import { rankingMetrics, thinCurve, type ClassCurves } from './ranking'
import { regressionMetrics } from './regression'
import { pick, pickRows, segmentGaps, segmentMetrics, type MetricValues, type SegmentGap, type SegmentMetrics } from './segments'

export interface ClassificationAnswers {
  truth: readonly string[]
  predicted: readonly string[]
  /** row-major [rows × labels.length] in the model's label order; null when the model gives none */
  probabilities: ArrayLike<number> | null
  /** the model's classes, in its order */
  labels: readonly string[]
}

export interface ClassificationEvaluation {
  metrics: MetricValues
  per_class: ClassScores[]
  confusion_matrix: { labels: string[]; matrix: number[][] }
  /** ROC and PR per class (binary: the positive class), thinned to draw */
  curves: ClassCurves[]
}

export function evaluateClassification(answers: ClassificationAnswers): ClassificationEvaluation {
  const { metrics, per_class, confusion_matrix } = classificationMetrics(answers.truth, answers.predicted, answers.labels)
  const ranking = answers.probabilities ? rankingMetrics(answers.truth, { labels: answers.labels, values: answers.probabilities }) : null
  return {
    metrics: {
      ...metrics,
      ...(ranking ? { roc_auc: ranking.roc_auc, average_precision: ranking.average_precision, log_loss: ranking.log_loss } : {}),
    },
    per_class,
    confusion_matrix,
    curves: (ranking?.curves ?? []).map((c) => ({ ...c, roc: thinCurve(c.roc), pr: thinCurve(c.pr) })),
  }
}

/** A segment's headline numbers, on the classes that occur in it (a segment without a class is not penalised for it). */
function segmentClassification(answers: ClassificationAnswers, rows: number[]): MetricValues {
  const truth = pick(answers.truth, rows)
  const predicted = pick(answers.predicted, rows)
  const present = new Set([...truth, ...predicted])
  const { metrics } = classificationMetrics(truth, predicted, answers.labels.filter((l) => present.has(l)))
  const out: MetricValues = { accuracy: metrics.accuracy, precision_macro: metrics.precision_macro, recall_macro: metrics.recall_macro, f1_macro: metrics.f1_macro }
  if (answers.probabilities) {
    const ranking = rankingMetrics(truth, { labels: answers.labels, values: pickRows(answers.probabilities, answers.labels.length, rows) })
    out.roc_auc = ranking.roc_auc
  }
  return out
}

export interface RegressionAnswers {
  truth: readonly number[]
  predicted: readonly number[]
}

export interface RegressionEvaluation {
  metrics: MetricValues
  /** predicted against residual (truth − predicted), at most `maxResidualPoints` rows, evenly picked */
  residuals: { predicted: number[]; residual: number[] }
}

const maxResidualPoints = 2000

export function evaluateRegression(answers: RegressionAnswers): RegressionEvaluation {
  const metrics = regressionMetrics(answers.truth, answers.predicted)
  const n = answers.truth.length
  const step = Math.max(1, n / maxResidualPoints)
  const predicted: number[] = []
  const residual: number[] = []
  for (let at = 0; Math.floor(at) < n; at += step) {
    const i = Math.floor(at)
    predicted.push(answers.predicted[i]!)
    residual.push(answers.truth[i]! - answers.predicted[i]!)
  }
  return { metrics: { ...metrics }, residuals: { predicted, residual } }
}

function segmentRegression(answers: RegressionAnswers, rows: number[]): MetricValues {
  return { ...regressionMetrics(pick(answers.truth, rows), pick(answers.predicted, rows)) }
}

export interface SegmentReport {
  column: string
  min_rows: number
  segments: SegmentMetrics[]
  gaps: SegmentGap[]
}

export type Answers = { task: 'classification'; answers: ClassificationAnswers } | { task: 'regression'; answers: RegressionAnswers }

export function segmentReport(column: string, segments: readonly string[], minRows: number, scored: Answers, lowerIsBetter: (metric: string) => boolean): SegmentReport {
  const metricsOf = (rows: number[]) => (scored.task === 'classification' ? segmentClassification(scored.answers, rows) : segmentRegression(scored.answers, rows))
  const perSegment = segmentMetrics(segments, minRows, metricsOf)
  return { column, min_rows: minRows, segments: perSegment, gaps: segmentGaps(perSegment, lowerIsBetter) }
}
