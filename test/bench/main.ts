// `npm run bench`: the engine's speed targets, each printed beside a reference measured in the same run.
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Queue, Worker } from 'bullmq'
import IORedis from 'ioredis'
import { withDuckDB } from '@/nodes/_lib/duckdb'
import { startRun } from '@/server/runner/runs'
import { getRunDetail } from '@/server/runner/runs'
import { isTerminalRun } from '@/server/runner/states'
import type { Services } from '@/server/services'
import { embeddedBackend, postgresRedisBackend, tempDir, testRedisUrl, type Backend } from '../harness/backends'
import { measurementsCsv } from '../harness/data'
import { savePipeline, upload } from '../harness/run-pipeline'
import { startRunningSteps } from '@/server/runner/step-runner'
import { benchRules, writeWideCsv } from './data'
import { benchAugment } from './augment'
import { benchBoundary } from './boundary'
import { benchCanvas } from './canvas'
import { benchSplit } from './split'
import { benchImages } from './images'
import { benchTransform } from './transform'
import { benchImageArchives } from './image-archives'
import { boardTable, measureBoard } from './use-cases'
import { benchViewer } from './viewer'
import { benchMlp } from './mlp'
import { benchCnn } from './cnn'
import { benchTrees } from './trees'
import { benchEvaluate } from './evaluate'
import { benchServing } from './serving'
import { benchServingRuntime } from './serving-runtime'
import { benchPreview } from './preview'

const results: Array<{ benchmark: string; product: string; reference: string; target: string }> = []
/** benchmarks with several figures per side print as a table of their own */
const tables: string[] = []

/** Polls often enough for millisecond timings; long runs poll less, so polling does not slow them. */
async function finish(services: Services, runId: string, pollMs = 2) {
  for (;;) {
    const run = await getRunDetail(services.db, runId)
    if (isTerminalRun(run.status)) return run
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function chainPipeline(name: string, artifactId: string, length: number) {
  const nodes = [{ id: 'load', kind: 'ingest', config: { source: { type: 'upload', artifactId } } }]
  const edges = []
  for (let i = 1; i <= length; i++) {
    nodes.push({ id: `v${i}`, kind: 'validate', config: { rules: [] } } as never)
    edges.push({ from: i === 1 ? 'load.dataset' : `v${i - 1}.clean`, to: `v${i}.dataset` })
  }
  return { apiVersion: 'pipewright/v1', name, nodes, edges }
}

/** Wall time of the run minus the time its validate steps spent running, per step. */
async function schedulingOverhead(backend: Backend): Promise<number> {
  const artifactId = await upload(backend.services, 'tiny.csv', measurementsCsv(20).csv)
  const pipelineId = await savePipeline(backend.services, chainPipeline('chain-50', artifactId, 50))
  const samples: number[] = []
  // one warm-up run (connections, JIT, DuckDB), then the median of five
  for (let i = 0; i < 6; i++) {
    const { runId } = await startRun(backend.services, pipelineId, { noCache: true })
    // timings come from the steps' own timestamps; slow polling keeps the poller out of the way
    const run = await finish(backend.services, runId, 50)
    if (run.status !== 'succeeded') throw new Error(`chain run ${run.status}: ${run.error}`)
    const validates = run.steps.filter((s) => s.kind === 'validate')
    const first = validates[0]!.startedAt!.getTime()
    const last = validates.at(-1)!.finishedAt!.getTime()
    const busy = validates.reduce((sum, s) => sum + (s.durationMs ?? 0), 0)
    if (i > 0) samples.push((last - first - busy) / (validates.length - 1))
  }
  return median(samples)
}

/** The raw library: a BullMQ chain whose next job is added when the previous completes. */
async function rawBullChain(steps: number): Promise<number> {
  const connection = new IORedis(testRedisUrl, { maxRetriesPerRequest: null })
  const name = `bench-${Date.now()}`
  const queue = new Queue(name, { connection })
  let done: () => void = () => {}
  const finished = new Promise<void>((resolve) => (done = resolve))
  const worker = new Worker(
    name,
    async (job) => {
      const index = job.data.index as number
      if (index < steps) await queue.add('step', { index: index + 1 })
      else done()
    },
    { connection: connection.duplicate(), concurrency: 1 },
  )
  await worker.waitUntilReady()
  const started = performance.now()
  await queue.add('step', { index: 1 })
  await finished
  const perStep = (performance.now() - started) / steps
  await worker.close()
  await queue.obliterate({ force: true })
  await queue.close()
  connection.disconnect()
  return perStep
}

async function throughput(rows: number) {
  const dir = tempDir('bench')
  const csv = path.join(dir, 'wide.csv')
  await writeWideCsv(csv, rows)
  const aloneTimes: number[] = []
  for (let i = 0; i < 3; i++) {
    aloneTimes.push(
      await withDuckDB(async (db) => {
        const started = performance.now()
        await db.exec(`COPY (SELECT * FROM read_csv('${csv}')) TO '${path.join(dir, 'alone.parquet')}' (FORMAT parquet)`)
        return performance.now() - started
      }),
    )
  }
  const duckAlone = median(aloneTimes)
  const backend = await embeddedBackend({ LOG_LEVEL: 'silent' })
  try {
    const artifactId = await upload(backend.services, 'wide.csv', fs.readFileSync(csv))
    const pipelineId = await savePipeline(backend.services, {
      apiVersion: 'pipewright/v1',
      name: 'wide',
      nodes: [
        { id: 'load', kind: 'ingest', config: { source: { type: 'upload', artifactId } } },
        { id: 'check', kind: 'validate', config: { rules: benchRules } },
      ],
      edges: [{ from: 'load.dataset', to: 'check.dataset' }],
    } as never)
    const runs: Array<{ elapsed: number; steps: string }> = []
    for (let i = 0; i < 3; i++) {
      const { runId } = await startRun(backend.services, pipelineId, { noCache: true })
      const run = await finish(backend.services, runId, 100)
      if (run.status !== 'succeeded') throw new Error(`wide run ${run.status}: ${run.error}`)
      // the run's own clock: created → finished, as the database recorded it
      runs.push({ elapsed: run.finishedAt!.getTime() - run.createdAt.getTime(), steps: run.steps.map((s) => `${s.nodeId} ${s.durationMs} ms`).join(', ') })
    }
    const typical = runs.sort((a, b) => a.elapsed - b.elapsed)[1]!
    return { duckAlone, product: typical.elapsed, steps: typical.steps }
  } finally {
    await backend.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function cachedRerun(backend: Backend): Promise<number> {
  const artifactId = await upload(backend.services, 'cache.csv', measurementsCsv(100).csv)
  const pipelineId = await savePipeline(backend.services, {
    apiVersion: 'pipewright/v1',
    name: 'cached',
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'upload', artifactId } } },
      { id: 'check', kind: 'validate', config: { rules: [{ column: 'status', rule: 'not_null' }] } },
    ],
    edges: [{ from: 'load.dataset', to: 'check.dataset' }],
  } as never)
  await finish(backend.services, (await startRun(backend.services, pipelineId)).runId)
  const samples: number[] = []
  for (let i = 0; i < 10; i++) {
    const started = performance.now()
    const run = await finish(backend.services, (await startRun(backend.services, pipelineId)).runId)
    samples.push(performance.now() - started)
    if (!run.steps.every((s) => s.cached)) throw new Error('re-run was not cached')
  }
  return median(samples)
}

async function withPostgresRedis<T>(work: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = await postgresRedisBackend()
  await startRunningSteps(backend.services, 2)
  try {
    return await work(backend)
  } finally {
    await backend.close()
  }
}

async function withEmbedded<T>(work: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = await embeddedBackend({ LOG_LEVEL: 'silent' })
  try {
    return await work(backend)
  } finally {
    await backend.close()
  }
}

async function main() {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000)
  process.stdout.write('Benchmarking (a few minutes)…\n')

  const only = process.env.BENCH_ONLY
  if (!only || only === 'scheduling') await benchScheduling()
  if (!only || only === 'throughput') await benchThroughput(rows)
  if (!only || only === 'cache') await benchCache()
  if (!only || only === 'transform') results.push(await benchTransform(rows))
  if (!only || only === 'canvas') tables.push(await benchCanvas())
  if (!only || only === 'boundary') tables.push(await benchBoundary())
  if (!only || only === 'split') results.push(await benchSplit(rows))
  if (!only || only === 'images') tables.push(await benchImages())
  if (!only || only === 'image-archives') tables.push(await benchImageArchives())
  if (!only || only === 'viewer') tables.push(await benchViewer())
  if (!only || only === 'augment') results.push(await benchAugment())
  if (!only || only === 'mlp') results.push(await benchMlp())
  if (!only || only === 'cnn') results.push(await benchCnn())
  if (!only || only === 'trees') results.push(await benchTrees())
  if (!only || only === 'evaluate') results.push(await benchEvaluate())
  if (!only || only === 'serving') tables.push(await benchServing())
  if (!only || only === 'serving-runtime') results.push(await benchServingRuntime())
  if (!only || only === 'preview') tables.push(await benchPreview())
  if (!only || only === 'use-cases') {
    const embedded = await withEmbedded(measureBoard)
    const postgres = await withPostgresRedis(measureBoard)
    tables.push(boardTable([{ name: 'PGlite', board: embedded }, { name: 'PostgreSQL', board: postgres }]))
  }

  for (const r of results) {
    process.stdout.write(`\n${r.benchmark}\n  pipewright: ${r.product}\n  reference:  ${r.reference}\n  target:     ${r.target}\n`)
  }
  for (const table of tables) process.stdout.write(`\n${table}\n`)
  process.exit(0)
}

async function benchScheduling() {
  const rawChain = await rawBullChain(50)
  const bullOverhead = await withPostgresRedis(schedulingOverhead)
  const embeddedOverhead = await withEmbedded(schedulingOverhead)
  results.push({
    benchmark: 'scheduling overhead per step, 50-step validate chain',
    product: `${bullOverhead.toFixed(1)} ms (BullMQ + PostgreSQL); ${embeddedOverhead.toFixed(1)} ms (in-process + PGlite)`,
    reference: `${rawChain.toFixed(1)} ms (raw BullMQ chain)`,
    target: '≤ 5 ms',
  })
}

async function benchThroughput(rows: number) {
  const wide = await throughput(rows)
  const productRate = rows / (wide.product / 1000)
  const duckRate = rows / (wide.duckAlone / 1000)
  results.push({
    benchmark: `ingest + validate (5 rules), ${rows.toLocaleString('en')} × 10 CSV`,
    product: `${Math.round(productRate).toLocaleString('en')} rows/s (${(wide.product / 1000).toFixed(2)} s: ${wide.steps})`,
    reference: `${Math.round(duckRate).toLocaleString('en')} rows/s (DuckDB CSV → Parquet alone, ${(wide.duckAlone / 1000).toFixed(2)} s); ratio ${(productRate / duckRate).toFixed(2)}× (medians of 3)`,
    target: '≥ 0.7× of DuckDB alone',
  })
}

async function benchCache() {
  const cachedBull = await withPostgresRedis(cachedRerun)
  const cachedEmbedded = await withEmbedded(cachedRerun)
  results.push({
    benchmark: 'fully cached re-run of a 2-step pipeline, end to end',
    product: `${cachedBull.toFixed(0)} ms (BullMQ + PostgreSQL); ${cachedEmbedded.toFixed(0)} ms (in-process + PGlite)`,
    reference: '—',
    target: '≤ 300 ms',
  })
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
