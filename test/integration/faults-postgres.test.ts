import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { steps } from '@/db/schema'
import { getRunDetail, startRun } from '@/server/runner/runs'
import { cancelRun, retryRun } from '@/server/runner/scheduler'
import { postgresRedisBackend, startWorkerProcess, stopWorker, type Backend, type WorkerProcess } from '../harness/backends'
import { expectRunAndStepsAgree, waitForRunThroughOutage } from '../harness/faults'
import { measurementsCsv, urlIngestPipeline } from '../harness/data'
import { serveCsv, type HttpSource, allowLocalSources } from '../harness/http-source'
import { savePipeline, waitFor } from '../harness/run-pipeline'
import { startThrowawayPostgres, startThrowawayRedis, type ThrowawayServer } from '../harness/throwaway-servers'

const outageMs = 8000

describe('PostgreSQL down for 8 s in the middle of a step, BullMQ with worker processes', () => {
  let redis: ThrowawayServer
  let postgresServer: ThrowawayServer
  let backend: Backend
  let source: HttpSource
  const workers: WorkerProcess[] = []

  beforeAll(async () => {
    redis = await startThrowawayRedis()
    postgresServer = await startThrowawayPostgres()
    backend = await postgresRedisBackend({
      postgresUrl: postgresServer.url,
      redisUrl: redis.url,
      env: { ...allowLocalSources, PIPEWRIGHT_RECONCILE_INTERVAL_MS: '1000' },
    })
    // a download that takes 3 s: long enough to be mid-step when the database goes
    source = await serveCsv(measurementsCsv(2000).csv, { dribbleMs: 3000 })
    for (let i = 0; i < 2; i++) workers.push(startWorkerProcess(backend.workerEnv))
    await Promise.all(workers.map((w) => w.ready))
  })

  afterAll(async () => {
    await Promise.all(workers.map(stopWorker))
    await source?.close()
    await backend?.close()
    await redis?.destroy()
    await postgresServer?.destroy()
  })

  it('ends every run that was mid-step, succeeded, with steps and artifacts agreeing', async () => {
    const pipelineId = await savePipeline(backend.services, urlIngestPipeline('pg-outage', source.url))
    const first = (await startRun(backend.services, pipelineId, { noCache: true })).runId
    const second = (await startRun(backend.services, pipelineId, { noCache: true })).runId
    await waitFor('both downloads to be running', async () => {
      const rows = await backend.services.db.select().from(steps)
      const running = rows.filter((row) => row.nodeId === 'load' && row.status === 'running')
      return running.length === 2 && source.requests >= 2 ? true : undefined
    })

    await postgresServer.stop()
    await new Promise((resolve) => setTimeout(resolve, outageMs))
    await postgresServer.start()
    const back = Date.now()

    for (const runId of [first, second]) {
      const run = await waitForRunThroughOutage(backend, runId, 40_000)
      expect(run.status, run.error ?? '').toBe('succeeded')
      await expectRunAndStepsAgree(backend, run)
    }
    // bounded: the database back, lost steps noticed within seconds, a 3 s download redone at most
    expect(Date.now() - back).toBeLessThan(40_000)
  })

  it('cancels a step caught by the outage, then retries it to success, run and steps agreeing throughout', async () => {
    const pipelineId = await savePipeline(backend.services, urlIngestPipeline('pg-cancel-retry', source.url))
    const { runId } = await startRun(backend.services, pipelineId, { noCache: true })
    await waitFor('the download to be running', async () => {
      const rows = await backend.services.db.select().from(steps).where(eq(steps.runId, runId))
      return rows.some((row) => row.nodeId === 'load' && row.status === 'running') ? true : undefined
    })
    await postgresServer.stop()
    await new Promise((resolve) => setTimeout(resolve, outageMs))
    await postgresServer.start()

    expect(await cancelRun(backend.services.db, runId)).toBe(true)
    const canceled = await getRunDetail(backend.services.db, runId)
    expect(canceled.status).toBe('canceled')
    expect(canceled.steps.map((s) => s.status)).toEqual(['canceled', 'canceled'])
    // the worker that was running it stops within a heartbeat and changes nothing afterwards
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect((await getRunDetail(backend.services.db, runId)).steps.map((s) => s.status)).toEqual(['canceled', 'canceled'])

    expect(await retryRun(backend.services, runId)).toBe(true)
    const run = await waitForRunThroughOutage(backend, runId, 30_000)
    expect(run.status, run.error ?? '').toBe('succeeded')
    await expectRunAndStepsAgree(backend, run)
  })

  it('answers a run started after the outage as if nothing had happened', async () => {
    const pipelineId = await savePipeline(backend.services, urlIngestPipeline('after-pg-outage', source.url))
    const { runId } = await startRun(backend.services, pipelineId, { noCache: true })
    const run = await waitForRunThroughOutage(backend, runId, 20_000)
    expect(run.status).toBe('succeeded')
    expect(run.steps.map((s) => s.attempt)).toEqual([1, 1])
  })
})
