import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addLatency,
  binResolution,
  bucketMs,
  chartBuckets,
  chartSpan,
  deploymentHealth,
  mergeBins,
  percentileOfBins,
  settleMs,
  windowBuckets,
  type LatencyBins,
  type ProcessBucket,
} from './health-shape'

function binsOf(latencies: readonly number[]): LatencyBins {
  const bins: LatencyBins = {}
  for (const ms of latencies) addLatency(bins, ms)
  return bins
}

/** The p95 a sorted list of every latency gives, read at the same rank the histogram reads. */
function exactPercentile(latencies: readonly number[], p: number): number {
  const sorted = [...latencies].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
}

const latencies = fc.array(fc.double({ min: 0.01, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 400 })

describe('latency histograms', () => {
  it('give the p95 of two processes merged as the p95 of all their requests, within the histogram’s resolution', () => {
    fc.assert(
      fc.property(latencies, latencies, (first, second) => {
        const merged = mergeBins(binsOf(first), binsOf(second))
        const exact = exactPercentile([...first, ...second], 0.95)
        const estimate = percentileOfBins(merged, 0.95)!
        expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(binResolution + 1e-9)
      }),
    )
  })

  it('merge exactly: two processes’ bins added up are the bins of their requests together', () => {
    fc.assert(
      fc.property(latencies, latencies, (first, second) => {
        expect(mergeBins(binsOf(first), binsOf(second))).toEqual(binsOf([...first, ...second]))
      }),
    )
  })

  it('are within 4.5% at any percentile, so a p50 or p99 read from them holds too', () => {
    fc.assert(
      fc.property(latencies, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (all, p) => {
        const exact = exactPercentile(all, p)
        expect(Math.abs(percentileOfBins(binsOf(all), p)! - exact) / exact).toBeLessThanOrEqual(0.045)
      }),
    )
  })

  it('do not average p95s: a slow process’s tail stays the fleet’s tail', () => {
    const fast = Array.from({ length: 900 }, () => 10)
    const slow = Array.from({ length: 100 }, () => 200)
    const averaged = (percentileOfBins(binsOf(fast), 0.95)! + percentileOfBins(binsOf(slow), 0.95)!) / 2
    const merged = percentileOfBins(mergeBins(binsOf(fast), binsOf(slow)), 0.95)!
    expect(Math.abs(merged - 200) / 200).toBeLessThan(0.045)
    expect(averaged).toBeLessThan(110)
  })

  it('have no p95 without requests, and hold a zero or absurd latency in their end bins', () => {
    expect(percentileOfBins({}, 0.95)).toBeNull()
    expect(percentileOfBins(binsOf([0]), 0.95)).toBeLessThan(0.01)
    expect(percentileOfBins(binsOf([Number.POSITIVE_INFINITY]), 0.95)).toBeGreaterThan(3_000_000)
  })
})

describe('a deployment’s health from every process’s buckets', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0) + 1234
  const span = chartSpan(now)

  function bucket(processId: string, version: number, at: number, latencies: number[], extra: Partial<ProcessBucket> = {}): ProcessBucket {
    return { processId, version, shadow: false, at, requests: latencies.length, errors: 0, fallbacks: 0, bins: binsOf(latencies), ...extra }
  }

  it('charts five minutes of settled buckets, the newest ending at least the flush lag ago', () => {
    expect((span.to - span.from) / bucketMs + 1).toBe(chartBuckets)
    expect(span.to + bucketMs).toBeLessThanOrEqual(now - settleMs)
    expect(span.to + 2 * bucketMs).toBeGreaterThan(now - settleMs)
    const health = deploymentHealth('d', [], now)
    expect(health.series).toHaveLength(chartBuckets)
    expect(health).toMatchObject({ requestsPerSecond: 0, requests: 0, p95Ms: null, errorRate: 0, fallbackRate: 0, processes: 0, versions: [] })
  })

  it('adds up processes per bucket, splits versions, and keeps a shadow out of the deployment’s totals', () => {
    const at = span.to
    const buckets = [
      bucket('web', 1, at, Array.from({ length: 40 }, () => 10), { errors: 2 }),
      bucket('serve-a', 1, at, Array.from({ length: 50 }, () => 12), { fallbacks: 5 }),
      bucket('serve-a', 2, at, Array.from({ length: 10 }, () => 80), { errors: 3 }),
      bucket('serve-a', 3, at, Array.from({ length: 100 }, () => 500), { shadow: true, errors: 100 }),
      // not settled yet: the process may still be writing it
      bucket('serve-b', 1, at + bucketMs, [1, 1, 1]),
      // older than the window, still on the chart
      bucket('serve-b', 1, span.to - windowBuckets * bucketMs, [5, 5]),
    ]
    const health = deploymentHealth('sizes', buckets, now)
    expect(health.requests).toBe(100)
    expect(health.requestsPerSecond).toBeCloseTo(100 / 30)
    expect(health.errorRate).toBeCloseTo(5 / 100)
    expect(health.fallbackRate).toBeCloseTo(5 / 100)
    expect(health.processes).toBe(2)
    expect(health.series.at(-1)).toMatchObject({ at, requests: 100, errors: 5, fallbacks: 5 })
    expect(health.series.at(-1 - windowBuckets)).toMatchObject({ requests: 2 })
    expect(health.versions.map((v) => [v.version, v.shadow, v.requests])).toEqual([
      [1, false, 90],
      [2, false, 10],
      [3, true, 100],
    ])
    const [stable, canary, shadow] = health.versions
    expect(stable!.errorRate).toBeCloseTo(2 / 90)
    expect(Math.abs(canary!.p95Ms! - 80) / 80).toBeLessThan(0.045)
    expect(shadow!.errorRate).toBe(1)
  })
})
