// The live health of one deployment as `GET /api/v1/deployments/{name}/health` answers it, and how
// the pages write its numbers. Isomorphic: no server imports.

export interface HealthPoint {
  /** the second, epoch milliseconds */
  at: number
  requests: number
  errors: number
  fallbacks: number
  p95Ms: number | null
}

export interface Health {
  requestsPerSecond: number
  p95Ms: number | null
  errorRate: number
  fallbackRate: number
  series: HealthPoint[]
}

export type HealthMetric = 'requests' | 'p95' | 'errors' | 'fallbacks'

/**
 * One number per second for a chart; a second without requests has no p95 (null, a gap). The
 * current second is still filling, so it is left out: drawn, it would dip every time.
 */
export function seriesOf(health: Health, metric: HealthMetric): (number | null)[] {
  return health.series.slice(0, -1).map((p) => {
    switch (metric) {
      case 'requests':
        return p.requests
      case 'p95':
        return p.p95Ms
      case 'errors':
        return p.requests ? p.errors / p.requests : null
      case 'fallbacks':
        return p.requests ? p.fallbacks / p.requests : null
    }
  })
}

export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0'
  if (perSecond < 10) return perSecond.toFixed(1)
  return Math.round(perSecond).toLocaleString('en')
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—'
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

export function formatShare(share: number): string {
  if (share === 0) return '0%'
  const percent = share * 100
  return percent < 1 ? `${percent.toFixed(2)}%` : `${percent.toFixed(1)}%`
}

export const metricInfo: Record<HealthMetric, { label: string; colour: string; value: (h: Health) => string }> = {
  requests: { label: 'Requests/s', colour: '#4f46e5', value: (h) => formatRate(h.requestsPerSecond) },
  p95: { label: 'p95 latency', colour: '#0d9488', value: (h) => formatMs(h.p95Ms) },
  errors: { label: 'Error rate', colour: '#dc2626', value: (h) => formatShare(h.errorRate) },
  fallbacks: { label: 'Fallback rate', colour: '#d97706', value: (h) => formatShare(h.fallbackRate) },
}

export const healthMetrics: readonly HealthMetric[] = ['requests', 'p95', 'errors', 'fallbacks']
