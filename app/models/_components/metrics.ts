// How the registry's pages read a version's metrics: which one heads a row, which way is better,
// and how a name and a value are written. Pure, so server and client components share it.

/** Quality metrics first (what a person compares versions by), then losses; counts like `epochs` never head a row. */
const headlineOrder = ['val_accuracy', 'accuracy', 'test_accuracy', 'val_f1', 'macro_f1', 'val_r2', 'r2', 'test_r2', 'val_rmse', 'rmse', 'val_loss', 'train_loss']

/** Metrics that say how training went, not how good the model is: shown, never judged. */
const neutral = new Set(['epochs', 'best_epoch', 'trees', 'rounds'])

export function headlineMetric(metrics: Record<string, number>): { name: string; value: number } | null {
  const name = headlineOrder.find((n) => typeof metrics[n] === 'number') ?? Object.keys(metrics).find((n) => !neutral.has(n))
  return name === undefined ? null : { name, value: metrics[name]! }
}

/** Up to `count` metrics for a table cell: the headline, then the other judged ones in the preferred order. */
export function headlineMetrics(metrics: Record<string, number>, count = 2): { name: string; value: number }[] {
  return orderMetricNames(Object.keys(metrics))
    .filter((n) => !neutral.has(n))
    .slice(0, count)
    .map((name) => ({ name, value: metrics[name]! }))
}

/** Metric names as a person reads them: the judged ones in the headline order, then counts such as `epochs`. */
export function orderMetricNames(names: Iterable<string>): string[] {
  const all = [...new Set(names)]
  const judged = all.filter((n) => !neutral.has(n))
  return [...headlineOrder.filter((n) => judged.includes(n)), ...judged.filter((n) => !headlineOrder.includes(n)).sort(), ...all.filter((n) => neutral.has(n)).sort()]
}

/** A count of how training went (`epochs`): listed, never judged or charted. */
export function isNeutralMetric(name: string): boolean {
  return neutral.has(name)
}

/** 'higher' for accuracy-like metrics, 'lower' for losses and errors, null when a difference is neither better nor worse. */
export function betterWhen(name: string): 'higher' | 'lower' | null {
  if (neutral.has(name)) return null
  if (/(loss|error|mae|mse|rmse|mape)$/.test(name)) return 'lower'
  if (/(accuracy|precision|recall|f1|r2|auc)$/.test(name)) return 'higher'
  return null
}

/** `val_accuracy` → `val accuracy` */
export function metricLabel(name: string): string {
  return name.replaceAll('_', ' ')
}

/** Four significant digits, as the step page writes metrics; whole numbers stay whole. */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  return String(Number(value.toPrecision(4)))
}

/** A difference with its sign: +0.0213, −3, 0. */
export function formatDelta(delta: number): string {
  if (delta === 0 || Object.is(delta, -0)) return '0'
  const shown = formatMetric(Math.abs(delta))
  return delta > 0 ? `+${shown}` : `−${shown}`
}

/** Whether `delta` (b − a) improved the metric: true, false, or null when the metric has no better direction or nothing changed. */
export function improved(name: string, delta: number): boolean | null {
  const direction = betterWhen(name)
  if (direction === null || delta === 0) return null
  return direction === 'higher' ? delta > 0 : delta < 0
}

/** A tensor shape as a person reads it: dynamic dimensions by their names, `batch × 1`; a scalar is `scalar`. */
export function formatShape(shape: readonly (number | string)[]): string {
  return shape.length === 0 ? 'scalar' : shape.join(' × ')
}
