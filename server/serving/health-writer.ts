// Server-only: writes this process's live-health buckets to the database, off the request's path
// (as the prediction log does): a timer armed by the first request after a write sends, every 2 s,
// the buckets that changed, each whole (an upsert), in batches. A failed write puts its buckets back
// for the next one; what a long outage holds stays bounded by the five minutes LiveHealth keeps.
import os from 'node:os'
import { lt, sql } from 'drizzle-orm'
import type { Db } from '@/db'
import { servingHealth } from '@/db/schema'
import { logger } from '@/server/logger'
import { flushEveryMs } from './health-shape'
import type { BucketRow, LiveHealth } from './live-health'

const batchRows = 500
/** Rows are kept a while past the charts' five minutes, then pruned by whichever process writes. */
export const keepRowsMs = 15 * 60_000
const pruneEveryMs = 60_000

/** This process among the fleet: hostname, pid and start time (a restarted pid is another process). */
export function processIdentity(): string {
  return `${os.hostname()}:${process.pid}:${new Date(Date.now() - process.uptime() * 1000).toISOString()}`
}

export class HealthWriter {
  private timer: NodeJS.Timeout | null = null
  private writing: Promise<void> | null = null
  private lastPrune = 0
  private failing = false
  written = 0

  constructor(
    private readonly db: Db,
    private readonly health: LiveHealth,
    readonly processId = processIdentity(),
  ) {
    health.onRecord = () => this.arm()
  }

  private arm(): void {
    if (this.timer) return
    this.timer = setTimeout(() => void this.flush(), flushEveryMs)
    // a process is not kept alive by its health numbers
    this.timer.unref()
  }

  /** Writes every changed bucket; resolves once they are in the database or put back (tests and shutdown wait on it). */
  async flush(now = Date.now()): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    while (this.writing) await this.writing
    const rows = this.health.takeChanged(now)
    if (rows.length === 0) return
    this.writing = this.write(rows, now).finally(() => (this.writing = null))
    await this.writing
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    this.health.onRecord = null
    await this.flush()
  }

  private async write(rows: BucketRow[], now: number): Promise<void> {
    for (let start = 0; start < rows.length; start += batchRows) {
      const batch = rows.slice(start, start + batchRows)
      try {
        await this.upsert(batch)
        this.written += batch.length
        this.failing = false
      } catch (error) {
        this.health.putBack(rows.slice(start))
        // said once per outage, not every 2 s
        if (!this.failing) logger.warn({ err: error, buckets: rows.length - start }, 'live health: buckets could not be written; retrying')
        this.failing = true
        this.arm()
        return
      }
    }
    if (now - this.lastPrune >= pruneEveryMs) await this.prune(now)
  }

  private upsert(batch: readonly BucketRow[]): Promise<unknown> {
    const values = batch.map((row) => ({
      processId: this.processId,
      deploymentId: row.deploymentId,
      modelVersion: row.version,
      shadow: row.shadow,
      bucketStart: new Date(row.at),
      requests: row.requests,
      errors: row.errors,
      fallbacks: row.fallbacks,
      latencyBins: row.bins,
    }))
    return this.db
      .insert(servingHealth)
      .values(values)
      .onConflictDoUpdate({
        target: [servingHealth.deploymentId, servingHealth.bucketStart, servingHealth.processId, servingHealth.modelVersion, servingHealth.shadow],
        set: {
          requests: sql`excluded.requests`,
          errors: sql`excluded.errors`,
          fallbacks: sql`excluded.fallbacks`,
          latencyBins: sql`excluded.latency_bins`,
          updatedAt: sql`now()`,
        },
      })
  }

  private async prune(now: number): Promise<void> {
    this.lastPrune = now
    try {
      await this.db.delete(servingHealth).where(lt(servingHealth.bucketStart, new Date(now - keepRowsMs)))
    } catch (error) {
      logger.warn({ err: error }, 'live health: old buckets could not be pruned')
    }
  }
}
