import { eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { steps } from '@/db/schema'
import { startRun } from '@/server/runner/runs'
import { postgresRedisBackend, startWorkerProcess, stopWorker, type Backend, type WorkerProcess } from '../harness/backends'
import { expectRunAndStepsAgree, waitForRunThroughOutage } from '../harness/faults'
import { measurementsCsv, urlIngestPipeline } from '../harness/data'
import { serveCsv, type HttpSource, allowLocalSources } from '../harness/http-source'
import { savePipeline, waitFor } from '../harness/run-pipeline'
import { startThrowawayRedis, type ThrowawayServer } from '../harness/throwaway-servers'

/** PIPEWRIGHT_STALLED_INTERVAL_MS for this suite: the README promises a dead worker's step restarts within it */
const stalledIntervalMs = 6000

interface World {
  redis: ThrowawayServer
  backend: Backend
  source: HttpSource
}

/** A throwaway Redis, a fresh PostgreSQL database and a slowly dribbling CSV source, for one describe block. */
function useThrowawayRedisBackend(options: { stalledIntervalMs: number; dribbleMs: number }): World {
  const world = {} as World
  beforeAll(async () => {
    world.redis = await startThrowawayRedis()
    world.backend = await postgresRedisBackend({
      redisUrl: world.redis.url,
      env: { ...allowLocalSources, PIPEWRIGHT_STALLED_INTERVAL_MS: String(options.stalledIntervalMs), PIPEWRIGHT_RECONCILE_INTERVAL_MS: '1000' },
    })
    world.source = await serveCsv(measurementsCsv(2000).csv, { dribbleMs: options.dribbleMs })
  })
  afterAll(async () => {
    await world.source?.close()
    await world.backend?.close()
    await world.redis?.destroy()
  })
  return world
}

describe('a worker killed mid-step, PostgreSQL + BullMQ with worker processes', () => {
  const world = useThrowawayRedisBackend({ stalledIntervalMs, dribbleMs: 3000 })
  const workers: WorkerProcess[] = []

  // each test starts its own workers, so the doomed one is the one running the step
  afterEach(async () => {
    await Promise.all(workers.splice(0).map(stopWorker))
  })


  async function startWorker(): Promise<WorkerProcess> {
    const worker = startWorkerProcess(world.backend.workerEnv)
    workers.push(worker)
    await worker.ready
    return worker
  }

  /** Start a run on `doomed` alone, then bring up a survivor and SIGKILL `doomed` mid-download. */
  async function killMidStep(name: string, beforeKill?: () => Promise<void>) {
    const doomed = await startWorker()
    const pipelineId = await savePipeline(world.backend.services, urlIngestPipeline(name, world.source.url))
    const { runId } = await startRun(world.backend.services, pipelineId, { noCache: true })
    const load = await waitFor('the download to be running', async () => {
      const [row] = await world.backend.services.db.select().from(steps).where(eq(steps.runId, runId)).orderBy(steps.position)
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
      const [row] = await world.backend.services.db.select().from(steps).where(eq(steps.id, stepId))
      return row!.startedAt!.getTime() > firstStart.getTime() ? true : undefined
    }, 60_000)
    return Date.now()
  }

  it('starts the step again on another worker within the stalled interval', async () => {
    const { runId, load, killedAt } = await killMidStep('killed-worker')
    const restarted = await restartedAt(load.id, load.startedAt!)
    expect(restarted - killedAt).toBeLessThanOrEqual(stalledIntervalMs + 1000)
    const run = await waitForRunThroughOutage(world.backend, runId, 20_000)
    expect(run.status).toBe('succeeded')
    expect(run.steps[0]!.attempt).toBe(1)
    await expectRunAndStepsAgree(world.backend, run)
  })

  it('recovers the step when Redis lost its job too (killed worker and Redis restart together)', async () => {
    const { runId, load } = await killMidStep('killed-worker-and-redis', async () => {
      await world.redis.stop()
      await world.redis.start()
    })
    await restartedAt(load.id, load.startedAt!)
    const run = await waitForRunThroughOutage(world.backend, runId, 30_000)
    expect(run.status).toBe('succeeded')
    await expectRunAndStepsAgree(world.backend, run)
    const [row] = await world.backend.services.db.select().from(steps).where(eq(steps.id, load.id))
    expect(row!.recoveries).toBe(1)
  })
})

describe('a step whose worker dies every time it runs it', () => {
  const world = useThrowawayRedisBackend({ stalledIntervalMs: 2000, dribbleMs: 10_000 })
  const workers: WorkerProcess[] = []

  afterAll(async () => {
    await Promise.all(workers.map(stopWorker))
  })

  it('ends failed, saying the worker stopped several times, instead of being started forever', async () => {
    const pipelineId = await savePipeline(world.backend.services, urlIngestPipeline('kills-its-worker', world.source.url))
    const { runId } = await startRun(world.backend.services, pipelineId, { noCache: true })
    let lastStart = 0
    // BullMQ gives a job up after it stalled more than 3 times (maxStalledCount)
    for (let kill = 0; kill < 4; kill++) {
      const worker = startWorkerProcess(world.backend.workerEnv)
      workers.push(worker)
      await worker.ready
      lastStart = await waitFor('the step to be running on the new worker', async () => {
        const [row] = await world.backend.services.db.select().from(steps).where(eq(steps.runId, runId)).orderBy(steps.position)
        const started = row?.startedAt?.getTime() ?? 0
        return row?.status === 'running' && started > lastStart ? started : undefined
      }, 20_000)
      worker.kill('SIGKILL')
      await new Promise((resolve) => worker.once('exit', resolve))
    }
    const survivor = startWorkerProcess(world.backend.workerEnv)
    workers.push(survivor)
    await survivor.ready
    const run = await waitForRunThroughOutage(world.backend, runId, 30_000)
    expect(run.status).toBe('failed')
    expect(run.steps.map((s) => s.status)).toEqual(['failed', 'skipped'])
    expect(run.steps[0]!.error).toMatch(/worker running this step stopped several times/)
    expect(run.error).toMatch(/^Step "load" failed: The worker running this step stopped several times/)
    await expectRunAndStepsAgree(world.backend, run)
  })
})
