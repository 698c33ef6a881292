// Metrics per segment (the rows sharing one value of a column: a region, a device, a sex) and the
// largest gap between segments: the bias audit. A segment smaller than the minimum is listed but
// left out of the gaps, where one unlucky row would decide the verdict.

export type MetricValues = Record<string, number | null>

export interface SegmentMetrics {
  segment: string
  rows: number
  /** false: fewer rows than the minimum, so not part of the gaps */
  counted: boolean
  metrics: MetricValues
}

export interface SegmentGap {
  metric: string
  /** best minus worst, ≥ 0 */
  gap: number
  best: { segment: string; value: number }
  worst: { segment: string; value: number }
}

/** Row indices per segment value, segments in order of first appearance. */
export function groupRows(segments: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>()
  segments.forEach((segment, row) => {
    const rows = groups.get(segment)
    if (rows) rows.push(row)
    else groups.set(segment, [row])
  })
  return groups
}

export function segmentMetrics(segments: readonly string[], minRows: number, metricsOf: (rows: number[]) => MetricValues): SegmentMetrics[] {
  return [...groupRows(segments)]
    .map(([segment, rows]) => ({ segment, rows: rows.length, counted: rows.length >= minRows, metrics: metricsOf(rows) }))
    .sort((a, b) => b.rows - a.rows || a.segment.localeCompare(b.segment))
}

/**
 * For each metric, the spread between the best and the worst counted segment; "best" is the
 * highest value unless lower is better (errors, losses). Needs two counted segments with a value.
 */
export function segmentGaps(segments: readonly SegmentMetrics[], lowerIsBetter: (metric: string) => boolean): SegmentGap[] {
  const counted = segments.filter((s) => s.counted)
  const metricNames = [...new Set(counted.flatMap((s) => Object.keys(s.metrics)))]
  const gaps: SegmentGap[] = []
  for (const metric of metricNames) {
    const values = counted.flatMap((s) => (typeof s.metrics[metric] === 'number' ? [{ segment: s.segment, value: s.metrics[metric] }] : []))
    if (values.length < 2) continue
    values.sort((a, b) => b.value - a.value)
    const [high, low] = [values[0]!, values.at(-1)!]
    const [best, worst] = lowerIsBetter(metric) ? [low, high] : [high, low]
    gaps.push({ metric, gap: high.value - low.value, best, worst })
  }
  return gaps
}

/** The rows of `values` at `rows`: a segment's slice of a column. */
export function pick<T>(values: readonly T[], rows: readonly number[]): T[] {
  return rows.map((row) => values[row]!)
}

/** A segment's rows of a row-major [rows × width] matrix (probabilities). */
export function pickRows(values: ArrayLike<number>, width: number, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length * width)
  rows.forEach((row, i) => {
    for (let k = 0; k < width; k++) out[i * width + k] = values[row * width + k]!
  })
  return out
}
