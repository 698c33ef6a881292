// Server-only: each deployment's live health in this process — requests, errors, fallbacks and
// latency per second over the last two minutes — for the deployments pages' small live charts.
const keptSeconds = 120

interface Second {
  at: number
  requests: number
  errors: number
  fallbacks: number
  latencies: number[]
}

export interface HealthPoint {
  /** the second, as epoch milliseconds */
  at: number
  requests: number
  errors: number
  fallbacks: number
  p95Ms: number | null
}

export interface HealthSummary {
  requestsPerSecond: number
  p95Ms: number | null
  errorRate: number
  fallbackRate: number
  series: HealthPoint[]
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
}

export class LiveHealth {
  private readonly seconds = new Map<string, Second[]>()

  record(deployment: string, outcome: { latencyMs: number; error: boolean; fallback: boolean }, now = Date.now()): void {
    const at = Math.floor(now / 1000) * 1000
    let series = this.seconds.get(deployment)
    if (!series) this.seconds.set(deployment, (series = []))
    let last = series.at(-1)
    if (!last || last.at !== at) {
      series.push((last = { at, requests: 0, errors: 0, fallbacks: 0, latencies: [] }))
      while (series.length > 0 && series[0]!.at <= at - keptSeconds * 1000) series.shift()
    }
    last.requests++
    if (outcome.error) last.errors++
    if (outcome.fallback) last.fallbacks++
    // a few thousand latencies a second are enough for a p95
    if (last.latencies.length < 5000) last.latencies.push(outcome.latencyMs)
  }

  /** The last `window` seconds summed up, and the series for the chart (one point a second, gaps as zero). */
  summary(deployment: string, window = 10, now = Date.now()): HealthSummary {
    const end = Math.floor(now / 1000) * 1000
    const bySecond = new Map((this.seconds.get(deployment) ?? []).map((s) => [s.at, s]))
    const series: HealthPoint[] = []
    for (let at = end - (keptSeconds - 1) * 1000; at <= end; at += 1000) {
      const s = bySecond.get(at)
      series.push({ at, requests: s?.requests ?? 0, errors: s?.errors ?? 0, fallbacks: s?.fallbacks ?? 0, p95Ms: s ? percentile([...s.latencies].sort((a, b) => a - b), 0.95) : null })
    }
    // the current second is still filling: the rate is over the complete seconds before it
    const recent = series.slice(-window - 1, -1).map((p) => bySecond.get(p.at)).filter((s): s is Second => s !== undefined)
    const requests = recent.reduce((n, s) => n + s.requests, 0)
    const latencies = recent.flatMap((s) => s.latencies).sort((a, b) => a - b)
    return {
      requestsPerSecond: requests / window,
      p95Ms: percentile(latencies, 0.95),
      errorRate: requests ? recent.reduce((n, s) => n + s.errors, 0) / requests : 0,
      fallbackRate: requests ? recent.reduce((n, s) => n + s.fallbacks, 0) / requests : 0,
      series,
    }
  }
}
