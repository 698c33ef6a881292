import { eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { steps } from '@/db/schema'
import { startRun } from '@/server/runner/runs'
import { postgresRedisBackend, startWorkerProcess, stopWorker, type Backend, type WorkerProcess } from '../harness/backends'
import { expectRunAndStepsAgree, waitForRunThroughOutage } from '../harness/faults'
import { measurementsCsv, urlIngestPipeline } from '../harness/data'
import { serveCsv, type HttpSource } from '../harness/http-source'
import { savePipeline, waitFor } from '../harness/run-pipeline'
import { startThrowawayRedis, type ThrowawayServer } from '../harness/throwaway-servers'

/** PIPEWRIGHT_STALLED_INTERVAL_MS for this suite: the README promises a dead worker's step restarts within it */
const stalledIntervalMs = 6000

describe('a worker killed mid-step, PostgreSQL + BullMQ with worker processes', () => {
  let redis: ThrowawayServer
  let backend: Backend
  let source: HttpSource
  const workers: WorkerProcess[] = []

  beforeAll(async () => {
    redis = await startThrowawayRedis()
    backend = await postgresRedisBackend({
      redisUrl: redis.url,
      env: { PIPEWRIGHT_STALLED_INTERVAL_MS: String(stalledIntervalMs), PIPEWRIGHT_RECONCILE_INTERVAL_MS: '1000' },
    })
    source = await serveCsv(measurementsCsv(2000).csv, { dribbleMs: 3000 })
  })

  // each test starts its own workers, so the doomed one is the one running the step
  afterEach(async () => {
    await Promise.all(workers.splice(0).map(stopWorker))
  })

  afterAll(async () => {
    await source?.close()
    await backend?.close()
    await redis?.destroy()
  })

  async function startWorker(): Promise<WorkerProcess> {
    const worker = startWorkerProcess(backend.workerEnv)
    workers.push(worker)
    await worker.ready
    return worker
  }

  /** Start a run on `doomed` alone, then bring up a survivor and SIGKILL `doomed` mid-download. */
  async function killMidStep(name: string, beforeKill?: () => Promise<void>) {
    const doomed = await startWorker()
    const pipelineId = await savePipeline(backend.services, urlIngestPipeline(name, source.url))
    const { runId } = await startRun(backend.services, pipelineId, { noCache: true })
    const load = await waitFor('the download to be running', async () => {
      const [row] = await backend.services.db.select().from(steps).where(eq(steps.runId, runId)).orderBy(steps.position)
      return row?.status === 'running' ? row : undefined
    })
    await startWorker()
    await beforeKill?.()
    doomed.kill('SIGKILL')
    await new Promise((resolve) => doomed.once('exit', resolve))
    return { runId, load, killedAt: Date.now() }
  }

  async function restartedAt(stepId: string, firstStart: Date): Promise<number> {
    await waitFor('the step to start again', async () => {
      const [row] = await backend.services.db.select().from(steps).where(eq(steps.id, stepId))
      return row!.startedAt!.getTime() > firstStart.getTime() ? true : undefined
    }, 60_000)
    return Date.now()
  }

  it('starts the step again on another worker within the stalled interval', async () => {
    const { runId, load, killedAt } = await killMidStep('killed-worker')
    const restarted = await restartedAt(load.id, load.startedAt!)
    expect(restarted - killedAt).toBeLessThanOrEqual(stalledIntervalMs + 1000)
    const run = await waitForRunThroughOutage(backend, runId, 20_000)
    expect(run.status).toBe('succeeded')
    expect(run.steps[0]!.attempt).toBe(1)
    await expectRunAndStepsAgree(backend, run)
  })

  it('recovers the step when Redis lost its job too (killed worker and Redis restart together)', async () => {
    const { runId, load } = await killMidStep('killed-worker-and-redis', async () => {
      await redis.stop()
      await redis.start()
    })
    await restartedAt(load.id, load.startedAt!)
    const run = await waitForRunThroughOutage(backend, runId, 30_000)
    expect(run.status).toBe('succeeded')
    await expectRunAndStepsAgree(backend, run)
    const [row] = await backend.services.db.select().from(steps).where(eq(steps.id, load.id))
    expect(row!.recoveries).toBe(1)
  })
})
