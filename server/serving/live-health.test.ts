import { describe, expect, it } from 'vitest'
import { bucketMs, chartBuckets, percentileOfBins } from './health-shape'
import { LiveHealth } from './live-health'

const t0 = Date.UTC(2026, 0, 1, 12, 0, 0)
const stable = { deploymentId: 'd1', version: 1 }
const canary = { deploymentId: 'd1', version: 2 }
const ok = (latencyMs: number) => ({ latencyMs, error: false, fallback: false })

describe('this process’s live health', () => {
  it('counts per deployment version and bucket, and hands each changed bucket over whole, once', () => {
    const health = new LiveHealth()
    health.record(stable, ok(10), t0)
    health.record(stable, { latencyMs: 30, error: true, fallback: false }, t0 + 1000)
    health.record(canary, { latencyMs: 50, error: false, fallback: true }, t0 + 2000)
    health.record(canary, ok(50), t0 + bucketMs)
    const rows = health.takeChanged(t0 + bucketMs)
    expect(rows.map((r) => [r.version, r.at - t0, r.requests, r.errors, r.fallbacks])).toEqual([
      [1, 0, 2, 1, 0],
      [2, 0, 1, 0, 1],
      [2, bucketMs, 1, 0, 0],
    ])
    expect(health.takeChanged(t0 + bucketMs)).toEqual([])
    expect(health.hasChanges).toBe(false)

    // a bucket that fills further is handed over again with everything in it so far
    health.record(stable, ok(20), t0 + 3000)
    const [again] = health.takeChanged(t0 + bucketMs)
    expect(again).toMatchObject({ version: 1, at: t0, requests: 3, errors: 1 })
    expect(Math.abs(percentileOfBins(again!.bins, 0.5)! - 20) / 20).toBeLessThan(0.045)
  })

  it('takes back what could not be written, and forgets buckets older than the charts', () => {
    const health = new LiveHealth()
    health.record(stable, ok(10), t0)
    const rows = health.takeChanged(t0)
    health.putBack(rows)
    expect(health.takeChanged(t0)).toHaveLength(1)
    health.putBack(rows)
    expect(health.takeChanged(t0 + (chartBuckets + 2) * bucketMs)).toEqual([])
  })

  it('tells its writer about each request, and keeps a shadow’s runs apart from the version answering', () => {
    const health = new LiveHealth()
    let told = 0
    health.onRecord = () => told++
    health.record(canary, ok(5), t0)
    health.record({ ...canary, shadow: true }, ok(7), t0)
    expect(told).toBe(2)
    expect(health.takeChanged(t0).map((r) => [r.version, r.shadow, r.requests])).toEqual([
      [2, false, 1],
      [2, true, 1],
    ])
  })
})
