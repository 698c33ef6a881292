import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getRunDetail, startRun } from '@/server/runner/runs'
import { cancelRun, retryRun } from '@/server/runner/scheduler'
import { postgresRedisBackend, startWorkerProcess, stopWorker, type Backend, type WorkerProcess } from '../harness/backends'
import { expectRunAndStepsAgree, waitForRunThroughOutage } from '../harness/faults'
import { ingestValidatePipeline, measurementsCsv } from '../harness/data'
import { savePipeline, upload } from '../harness/run-pipeline'
import { startThrowawayPostgres, startThrowawayRedis, type ThrowawayServer } from '../harness/throwaway-servers'

/** A lost step is noticed after 5 s (staleAfterMs) and a reconciler pass every second: well inside this. */
const recoveryBoundMs = 25_000

describe('Redis restarted without persistence, PostgreSQL + BullMQ with worker processes', () => {
  let redis: ThrowawayServer
  let postgresServer: ThrowawayServer
  let backend: Backend
  const workers: WorkerProcess[] = []
  let pipelineId: string

  beforeAll(async () => {
    redis = await startThrowawayRedis()
    postgresServer = await startThrowawayPostgres()
    backend = await postgresRedisBackend({
      postgresUrl: postgresServer.url,
      redisUrl: redis.url,
      env: { PIPEWRIGHT_RECONCILE_INTERVAL_MS: '1000' },
    })
    const artifactId = await upload(backend.services, 'redis.csv', measurementsCsv(50).csv)
    pipelineId = await savePipeline(backend.services, ingestValidatePipeline('redis-faults', artifactId))
  })

  afterAll(async () => {
    await Promise.all(workers.map(stopWorker))
    await backend?.close()
    await redis?.destroy()
    await postgresServer?.destroy()
  })

  it('finishes runs whose waiting jobs Redis lost, once workers start', async () => {
    // no worker yet: the jobs wait in Redis
    const runIds = []
    for (let i = 0; i < 3; i++) runIds.push((await startRun(backend.services, pipelineId, { noCache: true })).runId)
    for (const runId of runIds) expect((await getRunDetail(backend.services.db, runId)).status).toBe('queued')
    await redis.stop()
    await redis.start()

    for (let i = 0; i < 2; i++) workers.push(startWorkerProcess(backend.workerEnv))
    await Promise.all(workers.map((w) => w.ready))
    for (const runId of runIds) {
      const run = await waitForRunThroughOutage(backend, runId, recoveryBoundMs)
      expect(run.status).toBe('succeeded')
      await expectRunAndStepsAgree(backend, run)
    }
  })

  it('starts a run while Redis is down within a few seconds, keeps it queued, and runs it when Redis returns', async () => {
    await redis.stop()
    try {
      const started = Date.now()
      const { runId } = await startRun(backend.services, pipelineId, { noCache: true })
      expect(Date.now() - started).toBeLessThan(4000)
      const detail = await getRunDetail(backend.services.db, runId)
      expect(detail.status).toBe('queued')
      expect(detail.steps.map((s) => s.status)).toEqual(['queued', 'queued'])

      // cancel and retry while Redis is still away: the run and its steps agree at every point
      const { runId: canceledId } = await startRun(backend.services, pipelineId, { noCache: true })
      expect(await cancelRun(backend.services.db, canceledId)).toBe(true)
      const canceled = await getRunDetail(backend.services.db, canceledId)
      expect(canceled.status).toBe('canceled')
      expect(canceled.steps.map((s) => s.status)).toEqual(['canceled', 'canceled'])
      expect(await retryRun(backend.services, canceledId)).toBe(true)
      const retried = await getRunDetail(backend.services.db, canceledId)
      expect(retried.status).toBe('running')
      expect(retried.steps.map((s) => s.status)).toEqual(['queued', 'queued'])

      await redis.start()
      for (const id of [runId, canceledId]) {
        const run = await waitForRunThroughOutage(backend, id, recoveryBoundMs)
        expect(run.status).toBe('succeeded')
        await expectRunAndStepsAgree(backend, run)
      }
    } finally {
      await redis.start().catch(() => {})
    }
  })

  it('still runs new pipelines normally after the outages', async () => {
    const { runId } = await startRun(backend.services, pipelineId, { noCache: true })
    const run = await waitForRunThroughOutage(backend, runId, 15_000)
    expect(run.status).toBe('succeeded')
    expect(run.steps.map((s) => s.attempt)).toEqual([1, 1])
  })
})
