// The fleet's health: two serving processes' worth of writers (each its own LiveHealth and process
// id) write to one real database, PGlite and PostgreSQL, and the health query the pages use adds
// them up — counts summed, latency histograms merged, so the p95 is that of every request.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '@/db'
import { servingHealth } from '@/db/schema'
import { logger } from '@/server/logger'
import { binResolution, bucketMs, chartSpan, windowBuckets } from '@/server/serving/health-shape'
import { HealthWriter, keepRowsMs } from '@/server/serving/health-writer'
import { fleetHealth } from '@/server/serving/fleet-health'
import { LiveHealth, type HealthKey } from '@/server/serving/live-health'
import { freshPostgresDatabase, tempDir } from '../harness/backends'

type Opened = { database: Database; close(): Promise<void> }

async function pglite(): Promise<Opened> {
  const dataDir = tempDir('fleet-health')
  const database = await openDatabase({ dataDir })
  return { database, close: async () => (await database.close(), fs.rmSync(dataDir, { recursive: true, force: true })) }
}

async function postgresql(): Promise<Opened> {
  const fresh = await freshPostgresDatabase()
  const database = await openDatabase({ url: fresh.url, dataDir: tempDir('fleet-health-pg') })
  return { database, close: async () => (await database.close(), await fresh.drop()) }
}

/** A seeded spread of latencies around `ms`, so the two processes' tails differ. */
function spread(count: number, ms: number, seed: number): number[] {
  let a = seed
  return Array.from({ length: count }, () => {
    a = (a * 1103515245 + 12345) % 2 ** 31
    return ms * (0.5 + (a / 2 ** 31) * 1.5)
  })
}

function exactP95(latencies: readonly number[]): number {
  const sorted = [...latencies].sort((x, y) => x - y)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!
}

describe.each([
  ['PGlite', pglite],
  ['PostgreSQL', postgresql],
])('the fleet’s health on %s', (_backend, open) => {
  let opened: Opened
  const deployment = { id: randomUUID(), name: 'sizes' }
  const now = Date.now()
  // the newest settled bucket, and one inside the window before it
  const { to: lastSettled } = chartSpan(now)
  const earlier = lastSettled - (windowBuckets - 2) * bucketMs
  const first = { health: new LiveHealth(), id: `host-a:101:${new Date(now - 60_000).toISOString()}` }
  const second = { health: new LiveHealth(), id: `host-b:202:${new Date(now - 90_000).toISOString()}` }
  let writers: HealthWriter[]

  function serve(process: { health: LiveHealth }, key: Omit<HealthKey, 'deploymentId'>, at: number, latencies: number[], errors = 0): void {
    latencies.forEach((latencyMs, i) => process.health.record({ deploymentId: deployment.id, ...key }, { latencyMs, error: i < errors, fallback: false }, at + (i % bucketMs)))
  }

  beforeAll(async () => {
    // the failed write below is meant to be said in the log; here it would only be noise
    logger.level = 'silent'
    opened = await open()
    writers = [first, second].map((p) => new HealthWriter(opened.database.db, p.health, p.id))
  })
  afterAll(async () => {
    await Promise.all(writers.map((w) => w.close()))
    await opened.close()
  })

  it('adds both processes up: counts summed, the p95 that of all their requests, each version apart', async () => {
    const stableA = spread(300, 10, 1)
    const stableB = spread(100, 120, 2)
    const canaryB = spread(40, 30, 3)
    serve(first, { version: 1 }, lastSettled, stableA.slice(0, 150), 3)
    serve(first, { version: 1 }, earlier, stableA.slice(150))
    serve(second, { version: 1 }, lastSettled, stableB)
    serve(second, { version: 2 }, lastSettled, canaryB, 4)
    serve(second, { version: 2, shadow: true }, lastSettled, spread(50, 500, 4), 50)
    await Promise.all(writers.map((w) => w.flush(now)))

    const health = await fleetHealth(opened.database.db, deployment, now)
    expect(health.processes).toBe(2)
    expect(health.requests).toBe(440)
    expect(health.requestsPerSecond).toBeCloseTo(440 / 30)
    expect(health.errorRate).toBeCloseTo(7 / 440)
    const exact = exactP95([...stableA, ...stableB, ...canaryB])
    expect(Math.abs(health.p95Ms! - exact) / exact).toBeLessThanOrEqual(binResolution + 1e-9)
    expect(health.series.at(-1)).toMatchObject({ at: lastSettled, requests: 290, errors: 7 })

    const [stable, canary, shadow] = health.versions
    expect(stable).toMatchObject({ version: 1, shadow: false, requests: 400 })
    expect(Math.abs(stable!.p95Ms! - exactP95([...stableA, ...stableB])) / exactP95([...stableA, ...stableB])).toBeLessThanOrEqual(binResolution + 1e-9)
    expect(stable!.errorRate).toBeCloseTo(3 / 400)
    expect(canary).toMatchObject({ version: 2, shadow: false, requests: 40, errorRate: 0.1 })
    expect(shadow).toMatchObject({ version: 2, shadow: true, requests: 50, errorRate: 1 })
  })

  it('rewrites a bucket that fills further instead of counting it twice', async () => {
    serve(first, { version: 1 }, lastSettled, [9, 9, 9, 9, 9])
    await writers[0]!.flush(now)
    await writers[0]!.flush(now)
    const health = await fleetHealth(opened.database.db, deployment, now)
    expect(health.requests).toBe(445)
    expect(health.versions[0]!.requests).toBe(405)
  })

  it('does not show a bucket still filling, nor another deployment’s', async () => {
    serve(first, { version: 1 }, lastSettled + bucketMs, [1, 1, 1])
    first.health.record({ deploymentId: randomUUID(), version: 1 }, { latencyMs: 1, error: false, fallback: false }, lastSettled)
    await writers[0]!.flush(now)
    expect((await fleetHealth(opened.database.db, deployment, now)).requests).toBe(445)
    // a moment later the bucket has settled and counts
    expect((await fleetHealth(opened.database.db, deployment, now + bucketMs)).series.at(-1)!.requests).toBe(3)
  })

  it('keeps the buckets of a failed write and writes them once the database is back', async () => {
    const db = opened.database.db
    await db.execute(sql`alter table serving_health rename to serving_health_away`)
    serve(second, { version: 2 }, lastSettled, [30, 30])
    try {
      await writers[1]!.flush(now)
    } finally {
      await db.execute(sql`alter table serving_health_away rename to serving_health`)
    }
    expect((await fleetHealth(db, deployment, now)).versions[1]).toMatchObject({ version: 2, requests: 40 })
    await writers[1]!.flush(now)
    expect((await fleetHealth(db, deployment, now)).versions[1]).toMatchObject({ version: 2, requests: 42 })
  })

  it('prunes rows older than 15 minutes when a process writes', async () => {
    const db = opened.database.db
    const old = { processId: 'host-c:303:gone', deploymentId: deployment.id, modelVersion: 1, shadow: false, requests: 1, errors: 0, fallbacks: 0, latencyBins: { '1': 1 } }
    await db.insert(servingHealth).values([
      { ...old, bucketStart: new Date(now - keepRowsMs - bucketMs) },
      { ...old, bucketStart: new Date(now - keepRowsMs + 120_000) },
    ])
    const later = now + 61_000
    serve(first, { version: 1 }, later, [5])
    await writers[0]!.flush(later)
    const left = await db.select({ at: servingHealth.bucketStart }).from(servingHealth).where(sql`${servingHealth.processId} = 'host-c:303:gone'`)
    expect(left.map((r) => r.at.getTime())).toEqual([now - keepRowsMs + 120_000])
  })
})
