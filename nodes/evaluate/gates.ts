// Quality gates: each names a metric and a bound; a gate on a metric the evaluation did not compute
// fails, naming the metrics it did compute, so a typo never passes silently.
export interface Gate {
  metric: string
  min?: number
  max?: number
}

export interface GateResult {
  gate: string
  metric: string
  value: number | null
  passed: boolean
  message: string
}

/** "f1_macro ≥ 0.9", "rmse ≤ 3", "0.5 ≤ r2 ≤ 1" */
export function describeGate(gate: Gate): string {
  if (gate.min !== undefined && gate.max !== undefined) return `${gate.min} ≤ ${gate.metric} ≤ ${gate.max}`
  if (gate.min !== undefined) return `${gate.metric} ≥ ${gate.min}`
  return `${gate.metric} ≤ ${gate.max}`
}

export function checkGates(gates: readonly Gate[], metrics: Readonly<Record<string, number | null>>): GateResult[] {
  return gates.map((gate) => {
    const name = describeGate(gate)
    const value = metrics[gate.metric]
    if (value === undefined || value === null) {
      const known = Object.keys(metrics).filter((k) => metrics[k] !== null)
      return { gate: name, metric: gate.metric, value: null, passed: false, message: `${name}: this evaluation has no ${gate.metric}; it has ${known.join(', ')}` }
    }
    const passed = (gate.min === undefined || value >= gate.min) && (gate.max === undefined || value <= gate.max)
    return { gate: name, metric: gate.metric, value, passed, message: `${name}: ${gate.metric} is ${round(value)}${passed ? '' : ', so the gate fails'}` }
  })
}

/**
 * Against the current champion: the candidate may be worse by at most `maxDrop` (for metrics where
 * higher is better; for errors such as rmse, where lower is better, worse means higher).
 */
export function checkAgainstChampion(metric: string, maxDrop: number, candidate: number | null, champion: number | null, championName: string): GateResult {
  const gate = `${metric} not worse than ${championName} by more than ${maxDrop}`
  if (candidate === null || champion === null) {
    return { gate, metric, value: candidate, passed: false, message: `${gate}: ${candidate === null ? 'this model' : championName} has no ${metric}` }
  }
  const worseBy = lowerIsBetter(metric) ? candidate - champion : champion - candidate
  const passed = worseBy <= maxDrop
  const verdict = worseBy > 0 ? `worse by ${round(worseBy)}` : `better by ${round(-worseBy)}`
  return { gate, metric, value: candidate, passed, message: `${gate}: ${round(candidate)} against ${round(champion)}, ${verdict}${passed ? '' : ', so the gate fails'}` }
}

const lowerIsBetterMetrics = new Set(['mae', 'rmse', 'log_loss', 'size_bytes'])

export function lowerIsBetter(metric: string): boolean {
  return lowerIsBetterMetrics.has(metric) || metric.startsWith('latency_')
}

function round(value: number): string {
  return String(Number(value.toPrecision(6)))
}
