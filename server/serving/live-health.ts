// Server-only: this process's live health — requests, errors, fallbacks and a latency histogram per
// deployment and model version, in 5 s buckets over the last five minutes. The health writer sends
// the buckets that changed to the database, where the pages read every process's buckets merged.
import { addLatency, bucketMs, chartBuckets, type BucketCounts } from './health-shape'

export interface HealthKey {
  deploymentId: string
  version: number
  /** a shadow's run: its version's numbers, not the deployment's */
  shadow?: boolean
}

export interface Outcome {
  latencyMs: number
  error: boolean
  fallback: boolean
}

/** A bucket as the writer stores it: the whole bucket so far, so writing it again is harmless. */
export interface BucketRow extends BucketCounts {
  deploymentId: string
  version: number
  shadow: boolean
  /** the bucket's start, epoch milliseconds */
  at: number
}

interface Series {
  deploymentId: string
  version: number
  shadow: boolean
  buckets: Map<number, BucketCounts>
  /** bucket starts changed since they were last taken for writing */
  dirty: Set<number>
}

/** Buckets older than this are forgotten: the charts reach five minutes back, plus one bucket filling. */
const keptMs = (chartBuckets + 1) * bucketMs

export class LiveHealth {
  private readonly series = new Map<string, Series>()
  /** called on every recorded outcome: the writer arms its timer (a process that never serves never writes) */
  onRecord: (() => void) | null = null

  record(key: HealthKey, outcome: Outcome, now = Date.now()): void {
    const series = this.seriesOf(key)
    const at = Math.floor(now / bucketMs) * bucketMs
    let bucket = series.buckets.get(at)
    if (!bucket) {
      series.buckets.set(at, (bucket = { requests: 0, errors: 0, fallbacks: 0, bins: {} }))
      this.forgetBefore(series, at - keptMs)
    }
    bucket.requests++
    if (outcome.error) bucket.errors++
    if (outcome.fallback) bucket.fallbacks++
    addLatency(bucket.bins, outcome.latencyMs)
    series.dirty.add(at)
    this.onRecord?.()
  }

  /** The buckets changed since the last call, each whole; they count as written until `putBack`. */
  takeChanged(now = Date.now()): BucketRow[] {
    const rows: BucketRow[] = []
    for (const [id, series] of this.series) {
      this.forgetBefore(series, now - keptMs)
      if (series.buckets.size === 0) {
        this.series.delete(id)
        continue
      }
      for (const at of series.dirty) {
        const bucket = series.buckets.get(at)!
        rows.push({ deploymentId: series.deploymentId, version: series.version, shadow: series.shadow, at, ...bucket, bins: { ...bucket.bins } })
      }
      series.dirty.clear()
    }
    return rows
  }

  /** Rows that could not be written are taken again next time (with whatever came in since). */
  putBack(rows: readonly BucketRow[]): void {
    for (const row of rows) {
      const series = this.series.get(seriesId(row))
      if (series?.buckets.has(row.at)) series.dirty.add(row.at)
    }
  }

  get hasChanges(): boolean {
    for (const series of this.series.values()) if (series.dirty.size > 0) return true
    return false
  }

  private seriesOf(key: HealthKey): Series {
    const shadow = key.shadow ?? false
    const id = seriesId({ ...key, shadow })
    let series = this.series.get(id)
    if (!series) this.series.set(id, (series = { deploymentId: key.deploymentId, version: key.version, shadow, buckets: new Map(), dirty: new Set() }))
    return series
  }

  private forgetBefore(series: Series, cutoff: number): void {
    for (const at of series.buckets.keys()) {
      if (at >= cutoff) continue
      series.buckets.delete(at)
      series.dirty.delete(at)
    }
  }
}

function seriesId(key: { deploymentId: string; version: number; shadow: boolean }): string {
  return `${key.deploymentId}|${key.version}|${key.shadow ? 'shadow' : 'answer'}`
}
