// How the pages write a deployment's live health (`GET /api/v1/deployments/{name}/health`); the
// shape itself is the serving side's own, shared from an isomorphic module.
import type { DeploymentHealth, HealthSummary } from '@/server/serving/health-shape'

export type Health = DeploymentHealth

export type HealthMetric = 'requests' | 'p95' | 'errors' | 'fallbacks'

/**
 * One number per bucket for a chart: requests per second, p95, and the error and fallback shares;
 * a bucket without requests has no p95 or shares (null, a gap). Only settled buckets are in the
 * series, so the last point does not dip while it fills.
 */
export function seriesOf(health: HealthSummary, metric: HealthMetric, bucketSeconds: number): (number | null)[] {
  return health.series.map((p) => {
    switch (metric) {
      case 'requests':
        return p.requests / bucketSeconds
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

export const metricInfo: Record<HealthMetric, { label: string; colour: string; value: (h: HealthSummary) => string }> = {
  requests: { label: 'Requests/s', colour: '#4f46e5', value: (h) => formatRate(h.requestsPerSecond) },
  p95: { label: 'p95 latency', colour: '#0d9488', value: (h) => formatMs(h.p95Ms) },
  errors: { label: 'Error rate', colour: '#dc2626', value: (h) => formatShare(h.errorRate) },
  fallbacks: { label: 'Fallback rate', colour: '#d97706', value: (h) => formatShare(h.fallbackRate) },
}

export const healthMetrics: readonly HealthMetric[] = ['requests', 'p95', 'errors', 'fallbacks']
