// The evaluate step's report, as stored (JSON) and drawn by the report view. Browser-safe: types
// and pure helpers only. `metrics` keys are snake_case and stable: gates and scripts read them.
import type { ClassScores } from './metrics/classification'
import type { ClassCurves } from './metrics/ranking'
import type { MetricValues, SegmentGap, SegmentMetrics } from './metrics/segments'
import type { GateResult } from './gates'
import type { Latency } from './score'

export interface EvaluationReport {
  kind: 'evaluation'
  task: 'classification' | 'regression'
  model: { artifactId: string; name: string | null; version: number | null; algorithm: string; label: string; sizeBytes: number }
  dataset: { artifactId: string; rows: number; scored: number; skipped: number }
  metrics: MetricValues
  classification?: {
    labels: string[]
    per_class: ClassScores[]
    confusion_matrix: { labels: string[]; matrix: number[][] }
    curves: ClassCurves[]
  }
  regression?: { residuals: { predicted: number[]; residual: number[] } }
  segments?: { column: string; min_rows: number; segments: SegmentMetrics[]; gaps: SegmentGap[] }
  latency: Latency[]
  champion?: { alias: string; version: number | null; metrics: MetricValues | null; note: string }
  gates: GateResult[]
  passed: boolean
  promoted?: { alias: string; name: string; version: number } | null
}

export function isEvaluationReport(value: unknown): value is EvaluationReport {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'evaluation' && Array.isArray((value as { gates?: unknown }).gates)
}

/** Latency and size as metrics, so a gate can bound them ("latency_p95_ms ≤ 5"). */
export function costMetrics(latency: readonly Latency[], sizeBytes: number): MetricValues {
  const out: MetricValues = { size_bytes: sizeBytes }
  for (const l of latency) {
    const suffix = l.batch === 1 ? '' : `_batch${l.batch}`
    out[`latency_p50_ms${suffix}`] = l.p50_ms_per_row
    out[`latency_p95_ms${suffix}`] = l.p95_ms_per_row
  }
  return out
}
