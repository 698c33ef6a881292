import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifacts, steps } from '@/db/schema'
import { startRun } from '@/server/runner/runs'
import { postgresRedisBackend, startWorkerProcess, stopWorker, type Backend } from '../harness/backends'
import { measurementsCsv, urlIngestPipeline } from '../harness/data'
import { allowLocalSources, serveCsv, type HttpSource } from '../harness/http-source'
import { savePipeline, waitFor, waitForRun } from '../harness/run-pipeline'

describe('a worker killed mid-step (SIGKILL), PostgreSQL + Redis', () => {
  let backend: Backend
  let source: HttpSource
  const workers: ReturnType<typeof startWorkerProcess>[] = []

  beforeAll(async () => {
    backend = await postgresRedisBackend({ env: allowLocalSources })
    source = await serveCsv(measurementsCsv(3000).csv, { dribbleMs: 3000 })
  })

  afterAll(async () => {
    await Promise.all(workers.map(stopWorker))
    await source?.close()
    await backend?.close()
  })

  it('does not lose the run: another worker picks the step up and publishes each output once', async () => {
    const doomed = startWorkerProcess(backend.workerEnv)
    workers.push(doomed)
    await doomed.ready
    const pipelineId = await savePipeline(backend.services, urlIngestPipeline('crash-test', source.url))
    const { runId } = await startRun(backend.services, pipelineId)
    await waitFor('the load step to be running', async () => {
      const rows = await backend.services.db.select().from(steps).where(eq(steps.runId, runId))
      const load = rows.find((row) => row.nodeId === 'load')
      return load?.status === 'running' && source.requests > 0 ? true : undefined
    })
    doomed.kill('SIGKILL')
    await new Promise((resolve) => doomed.once('exit', resolve))

    const survivor = startWorkerProcess(backend.workerEnv)
    workers.push(survivor)
    await survivor.ready
    const run = await waitForRun(backend.services, runId, 60_000)

    expect(run.status).toBe('succeeded')
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded'])
    expect(source.requests).toBeGreaterThanOrEqual(2)
    for (const step of run.steps) {
      for (const id of Object.values(step.outputs)) {
        const bytes = fs.readFileSync(await backend.services.store.localPath(id))
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(id)
        const rows = await backend.services.db.select().from(artifacts).where(eq(artifacts.id, id))
        expect(rows).toHaveLength(1)
      }
    }
    const logs = run.steps[0]!
    expect(logs.attempt).toBe(1)
    expect(fs.readdirSync(path.join(backend.dataDir, 'artifacts', 'tmp'))).toEqual([])
  })
})
