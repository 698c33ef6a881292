import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findArtifact } from '@/server/artifacts/metadata'
import { getRunDetail, startRun } from '@/server/runner/runs'
import { cancelRun, retryRun } from '@/server/runner/scheduler'
import { embeddedBackend, postgresRedisBackend, startWorkerProcess, stopWorker, type Backend } from '../harness/backends'
import { ingestValidatePipeline, measurementsCsv, urlIngestPipeline } from '../harness/data'
import { allowLocalSources, serveCsv } from '../harness/http-source'
import { readDataset } from '../harness/parquet'
import { runToEnd, savePipeline, upload, waitFor, waitForRun } from '../harness/run-pipeline'

type Setup = { name: string; open: () => Promise<Backend>; workers: number }
const setups: Setup[] = [
  { name: 'PGlite + in-process queue', open: () => embeddedBackend(allowLocalSources), workers: 0 },
  { name: 'PostgreSQL + Redis, two worker processes', open: () => postgresRedisBackend({ env: allowLocalSources }), workers: 2 },
]

describe.each(setups)('a pipeline run on $name', ({ open, workers: workerCount }) => {
  let backend: Backend
  const workers: ReturnType<typeof startWorkerProcess>[] = []

  beforeAll(async () => {
    backend = await open()
    for (let i = 0; i < workerCount; i++) workers.push(startWorkerProcess(backend.workerEnv))
    await Promise.all(workers.map((w) => w.ready))
  })

  afterAll(async () => {
    await Promise.all(workers.map(stopWorker))
    await backend?.close()
  })

  it('ingests and validates to succeeded, quarantining exactly the bad rows with their reasons', async () => {
    const data = measurementsCsv(500)
    const artifactId = await upload(backend.services, 'measurements.csv', data.csv)
    const run = await runToEnd(backend.services, ingestValidatePipeline('measurements', artifactId))

    expect(run.status).toBe('succeeded')
    expect(run.steps.map((s) => [s.nodeId, s.status, s.cached])).toEqual([
      ['load', 'succeeded', false],
      ['check', 'succeeded', false],
    ])
    const check = run.steps.find((s) => s.nodeId === 'check')!
    const quarantine = await readDataset(backend.services, check.outputs.quarantine!)
    expect(quarantine.map((row) => row._row).sort((a, b) => Number(a) - Number(b))).toEqual(data.badRows)
    const reasons = quarantine.map((row) => JSON.stringify(row._reasons)).join('\n')
    expect(reasons).toContain('temp [°C]')
    expect(reasons).toContain('Device ID')
    expect(reasons).toContain('status')

    const clean = await findArtifact(backend.services.db, check.outputs.clean!)
    expect(clean?.rowCount).toBe(data.rowCount - data.badRows.length)
    expect(clean?.schema?.map((c) => c.name)).toEqual(['Device ID', 'temp [°C]', 'status', 'reading (raw)'])
  })

  it('answers a re-run of the same pipeline entirely from the cache, with the same outputs', async () => {
    const data = measurementsCsv(100)
    const artifactId = await upload(backend.services, 'again.csv', data.csv)
    const file = ingestValidatePipeline('cached-twice', artifactId)
    const first = await runToEnd(backend.services, file)
    const second = await runToEnd(backend.services, file)

    expect(second.status).toBe('succeeded')
    expect(second.steps.every((s) => s.cached)).toBe(true)
    expect(second.steps.map((s) => s.outputs)).toEqual(first.steps.map((s) => s.outputs))
    const third = await runToEnd(backend.services, file, { noCache: true })
    expect(third.steps.some((s) => s.cached)).toBe(false)
  })

  it('fails the step with a clear message on a ragged, non-UTF-8 CSV, and keeps working afterwards', async () => {
    const ragged = Buffer.concat([
      Buffer.from('a,b,c\n1,2,3\n4,5\n6,7,8,9\n'),
      Buffer.from([0x31, 0x2c, 0xff, 0xfe, 0x2c, 0x33, 0x0a]),
    ])
    const artifactId = await upload(backend.services, 'ragged.csv', ragged)
    const run = await runToEnd(backend.services, ingestValidatePipeline('ragged', artifactId, []))

    expect(run.status).toBe('failed')
    const load = run.steps.find((s) => s.nodeId === 'load')!
    expect(load.status).toBe('failed')
    expect(load.error).toMatch(/line \d+/i)
    expect(run.steps.find((s) => s.nodeId === 'check')!.status).toBe('skipped')

    const healthy = await upload(backend.services, 'healthy.csv', measurementsCsv(20).csv)
    const after = await runToEnd(backend.services, ingestValidatePipeline('after-ragged', healthy))
    expect(after.status).toBe('succeeded')
  })

  it('retries a flaky download with backoff, per the node policy', async () => {
    const source = await serveCsv(measurementsCsv(30).csv, { failFirst: 1 })
    try {
      const run = await runToEnd(backend.services, urlIngestPipeline('flaky-download', source.url))
      expect(run.status).toBe('succeeded')
      const load = run.steps.find((s) => s.nodeId === 'load')!
      expect(load.attempt).toBe(2)
      expect(source.requests).toBe(2)
    } finally {
      await source.close()
    }
  })

  it('retries a failed run from the failed step on request, keeping what succeeded', async () => {
    const source = await serveCsv(measurementsCsv(30).csv, { failFirst: 1, failStatus: 404 })
    try {
      const failed = await runToEnd(backend.services, urlIngestPipeline('retry-later', source.url), { noCache: true })
      expect(failed.status).toBe('failed')
      expect(failed.steps.map((s) => s.status)).toEqual(['failed', 'skipped'])
      expect(failed.steps[0]!.attempt).toBe(1) // a 404 is not worth a second try

      expect(await retryRun(backend.services, failed.id)).toBe(true)
      const retried = await waitForRun(backend.services, failed.id)
      expect(retried.status).toBe('succeeded')
      expect(retried.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded'])
      expect(retried.steps[0]!.attempt).toBe(2)
      expect(await retryRun(backend.services, failed.id)).toBe(false) // nothing left to retry
    } finally {
      await source.close()
    }
  })

  it('refuses a URL source aimed at an internal address once, naming the rule, without retrying', async () => {
    // loopback is allowed for 127.0.0.1 only (allowLocalSources): the rest stays refused
    const url = 'http://169.254.169.254/latest/meta-data/iam.csv'
    const failed = await runToEnd(backend.services, urlIngestPipeline('metadata-probe', url), { noCache: true })
    expect(failed.status).toBe('failed')
    const load = failed.steps.find((s) => s.nodeId === 'load')!
    expect(load.attempt).toBe(1)
    expect(load.error).toBe(
      `Could not download ${url}: refused: 169.254.169.254 is a cloud metadata address (an administrator can allow it with PIPEWRIGHT_OUTBOUND_ALLOW).`,
    )
  })

  it('runs independent steps in parallel branches of the DAG', async () => {
    const artifactId = await upload(backend.services, 'branches.csv', measurementsCsv(60).csv)
    const file = {
      apiVersion: 'pipewright/v1',
      name: 'two-branches',
      nodes: [
        { id: 'load', kind: 'ingest', config: { source: { type: 'upload', artifactId } } },
        { id: 'ids', kind: 'validate', config: { rules: [{ column: 'Device ID', rule: 'not_null' }] } },
        { id: 'temps', kind: 'validate', config: { rules: [{ column: 'temp [°C]', rule: 'between', max: 60 }] } },
        { id: 'again', kind: 'validate', config: { rules: [] } },
      ],
      edges: [
        { from: 'load.dataset', to: 'ids.dataset' },
        { from: 'load.dataset', to: 'temps.dataset' },
        { from: 'ids.clean', to: 'again.dataset' },
      ],
    }
    const run = await runToEnd(backend.services, file)
    expect(run.status).toBe('succeeded')
    const byId = Object.fromEntries(run.steps.map((s) => [s.nodeId, s]))
    expect(byId.again!.startedAt!.getTime()).toBeGreaterThanOrEqual(byId.ids!.finishedAt!.getTime())
    const cleanIds = await findArtifact(backend.services.db, byId.ids!.outputs.clean!)
    expect(cleanIds?.rowCount).toBe(58)
  })

  it('cancels a running step, and the steps after it never start', async () => {
    const source = await serveCsv(measurementsCsv(2000).csv, { dribbleMs: 20_000 })
    try {
      const pipelineId = await savePipeline(backend.services, urlIngestPipeline('slow-download', source.url))
      const { runId } = await startRun(backend.services, pipelineId, { noCache: true })
      await waitFor('the download to start', async () => (source.requests > 0 ? true : undefined))
      await cancelRun(backend.services.db, runId)
      expect((await waitForRun(backend.services, runId, 15_000)).status).toBe('canceled')
      // the running step notices within a poll interval and stops its download
      const run = await waitFor('the running step to stop', async () => {
        const detail = await getRunDetail(backend.services.db, runId)
        return detail.steps.every((s) => s.status !== 'running') ? detail : undefined
      })
      expect(run.steps.map((s) => s.status)).toEqual(['canceled', 'canceled'])
    } finally {
      await source.close()
    }
  })

  it('leaves no scratch files behind once runs are done', async () => {
    // a canceled step shows canceled at once; its executor stops and cleans up within a heartbeat
    const tmp = path.join(backend.dataDir, 'artifacts', 'tmp')
    await expect.poll(() => fs.readdirSync(tmp), { timeout: 3000 }).toEqual([])
  })
})
