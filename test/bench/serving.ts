// `BENCH_ONLY=serving`: inference over real HTTP. A real `npm run serve` process (its own process,
// on PostgreSQL) answers; autocannon in this process is the client. Beside each figure, measured in
// the same run: raw onnxruntime-node `session.run` in one thread on the same model and inputs.
// (The browser preview has its own benchmark: preview.ts.)
import fs from 'node:fs'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'
import ort from 'onnxruntime-node'
import sharp from 'sharp'
import { createDeploymentBody } from '@/server/deployments/bodies'
import { createDeployment, rollback, rollout, updateSettings } from '@/server/deployments/deployments'
import type { ServingLimits } from '@/server/deployments/bodies'
import { readEnv } from '@/server/env'
import { closeServices, createServices, type Services } from '@/server/services'
import type { RawTensor } from '@/nodes/train-handoff/onnx/test-runtimes'
import { freshPostgresDatabase, tempDir } from '../harness/backends'
import { startServeProcess, type ServeProcess } from '../harness/serve-process'
import { registerTrained } from '../harness/served-models'
import { ModelTrainer } from '../harness/trained-models'

const concurrencies = [1, 8, 32]
const secondsPerLevel = Number(process.env.BENCH_SERVING_SECONDS ?? 4)
const by = { actorId: null, label: 'bench' }
/** the camera-strip size the brief names: one RGB image of 48×192 per request */
const imageHeight = 48
const imageWidth = 192

interface Level {
  concurrency: number
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  failed: number
}

interface Endpoint {
  label: string
  path: string
  body: string | Buffer<ArrayBuffer>
  headers?: Record<string, string>
}

/** A deterministic noisy picture with stripes, raw RGB. */
function stripes(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3)
  for (let i = 0; i < rgb.length; i++) rgb[i] = (Math.floor(i / 3 / width) % 8 < 4 ? 200 : 60) + ((i * 7919) % 23)
  return rgb
}

async function load(url: string, endpoint: Endpoint, connections: number, seconds: number, overallRate?: number): Promise<Level> {
  const result = await autocannon({
    url: `${url}${endpoint.path}`,
    method: 'POST',
    headers: endpoint.headers ?? { 'content-type': 'application/json' },
    body: endpoint.body,
    connections,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
  })
  return {
    concurrency: connections,
    requestsPerSecond: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  }
}

/** Back-to-back `session.run` in this thread for `seconds`: the single-thread reference. */
async function rawSessionRun(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, seconds: number): Promise<Level> {
  for (let i = 0; i < 50; i++) await session.run(feeds)
  const latencies: number[] = []
  const started = performance.now()
  while (performance.now() - started < seconds * 1000) {
    const sent = performance.now()
    await session.run(feeds)
    latencies.push(performance.now() - sent)
  }
  latencies.sort((a, b) => a - b)
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!
  return { concurrency: 1, requestsPerSecond: latencies.length / ((performance.now() - started) / 1000), p50Ms: at(0.5), p99Ms: at(0.99), failed: 0 }
}

function toOrt(feeds: Record<string, RawTensor>): Record<string, ort.Tensor> {
  return Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data, [...t.dims])]))
}

const tensorDatatype = { float32: 'FP32', uint8: 'UINT8', string: 'BYTES' } as const

function v2Body(feeds: Record<string, RawTensor>): string {
  return JSON.stringify({
    inputs: Object.entries(feeds).map(([name, t]) => ({ name, shape: [...t.dims], datatype: tensorDatatype[t.type], data: Array.from(t.data as ArrayLike<number | string>) })),
  })
}

/** The binary tensor extension, as tritonclient sends it: a JSON header, then each input's raw bytes; outputs asked back as bytes. */
function v2BinaryEndpoint(path: string, feeds: Record<string, RawTensor>): Endpoint {
  const parts: Buffer[] = []
  const inputs = Object.entries(feeds).map(([name, t]) => {
    if (t.type === 'string') throw new Error('the binary benchmark sends number tensors only')
    const bytes = Buffer.from((t.data as Uint8Array | Float32Array).buffer, (t.data as Uint8Array).byteOffset, (t.data as Uint8Array).byteLength)
    parts.push(bytes)
    return { name, shape: [...t.dims], datatype: tensorDatatype[t.type], parameters: { binary_data_size: bytes.byteLength } }
  })
  const header = Buffer.from(JSON.stringify({ inputs, parameters: { binary_data_output: true } }))
  return {
    label: 'V2 infer (binary tensor extension)',
    path,
    body: Buffer.concat([header, ...parts]),
    headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.byteLength) },
  }
}

async function check(url: string, endpoint: Endpoint): Promise<void> {
  const response = await fetch(`${url}${endpoint.path}`, { method: 'POST', headers: endpoint.headers ?? { 'content-type': 'application/json' }, body: endpoint.body })
  if (!response.ok) throw new Error(`${endpoint.label}: ${response.status} ${await response.text()}`)
}

const fmt = (l: Level) => `${Math.round(l.requestsPerSecond).toLocaleString('en')} req/s, p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms${l.failed ? `, ${l.failed} failed` : ''}`

interface Setup {
  services: Services
  serve: ServeProcess
  cnn: { bytes: Uint8Array; feeds: Record<string, RawTensor>; png: string; shape: string }
  tabular: { bytes: Uint8Array; feeds: Record<string, RawTensor>; records: Record<string, unknown>[] }
  close(): Promise<void>
}

async function setUp(serving: ServingLimits): Promise<Setup> {
  const database = await freshPostgresDatabase()
  const dataDir = tempDir('bench-serving')
  const env = { DATABASE_URL: database.url, PIPEWRIGHT_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }
  const services = await createServices(readEnv({ ...env, PIPEWRIGHT_ROLE: 'web' }))
  const trainer = new ModelTrainer()
  await trainer.prepareTables()
  // a CNN the size of the brief's reference (0.6–0.8 ms a run at batch 1 here; the brief's runs in 1–2.7 ms);
  // BENCH_SERVING_CNN='{"imageSize":16,"filters":[4,8]}' measures the harness's tiny one, where HTTP is everything
  const cnnShape = JSON.parse(process.env.BENCH_SERVING_CNN ?? '{"imageSize":128,"filters":[16,32]}') as { imageSize?: number; filters?: number[] }
  const cnnBytes = (await trainer.cnn(cnnShape)).bytes
  const tabularCase = await trainer.tabular('logistic-regression')
  await trainer.cleanup()
  for (const name of ['cnn', 'sizes']) {
    const bytes = name === 'cnn' ? cnnBytes : tabularCase.bytes
    await registerTrained(services, name, bytes)
    await registerTrained(services, name, bytes)
  }
  // the prediction log is on (every request), as a deployment has it by default
  for (const [name, model] of [['cnn', 'cnn'], ['sizes', 'sizes'], ['sizes-canary', 'sizes']] as const) {
    await createDeployment(services.db, createDeploymentBody.parse({ name, model, version: 1, public: true }), by)
    if (Object.keys(serving).length > 0) await updateSettings(services.db, name, { serving }, by)
  }
  const rgb = stripes(imageWidth, imageHeight)
  const png = (await sharp(Buffer.from(rgb), { raw: { width: imageWidth, height: imageHeight, channels: 3 } }).png().toBuffer()).toString('base64')
  // one row of the held-out batch (the second: the first has a missing number, which V2 cannot carry), as one request
  const first = tabularCase.batches[0]!
  const row = 1
  const tabularFeeds = Object.fromEntries(Object.entries(first).map(([name, t]) => [name, { ...t, data: t.data.slice(row, row + 1), dims: [1, ...t.dims.slice(1)] } as RawTensor]))
  const record = { 'size [cm]': (first['size [cm]']!.data as Float32Array)[row], 'noise "n"': (first['noise "n"']!.data as Float32Array)[row], colour: (first.colour!.data as string[])[row] || null }
  // BENCH_SERVE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the serve process
  const serve = await startServeProcess({ ...env, LOG_LEVEL: 'warn' }, (process.env.BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean))
  await serve.ready
  return {
    services,
    serve,
    cnn: { bytes: cnnBytes, feeds: { image: { type: 'uint8', data: rgb, dims: [1, imageHeight, imageWidth, 3] } }, png, shape: `imageSize ${cnnShape.imageSize ?? 16}, filters [${(cnnShape.filters ?? [4, 8]).join(', ')}]` },
    tabular: { bytes: tabularCase.bytes, feeds: tabularFeeds, records: [record] },
    close: async () => {
      await serve.stop()
      await closeServices(services)
      await database.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function throughputRows(setup: Setup): Promise<string[]> {
  const url = setup.serve.url
  const models = [
    {
      model: `trained CNN (${setup.cnn.shape}), one raw uint8 ${imageHeight}×${imageWidth} RGB image`,
      bytes: setup.cnn.bytes,
      feeds: setup.cnn.feeds,
      endpoints: [
        { label: 'V2 infer (UINT8 tensor as JSON)', path: '/v2/models/cnn/infer', body: v2Body(setup.cnn.feeds) },
        v2BinaryEndpoint('/v2/models/cnn/infer', setup.cnn.feeds),
        { label: 'records predict (PNG as base64)', path: '/api/v1/deployments/cnn/predict', body: JSON.stringify({ records: [{ image: setup.cnn.png }] }) },
      ],
    },
    {
      model: 'logistic regression, one row (2 numbers, 1 category)',
      bytes: setup.tabular.bytes,
      feeds: setup.tabular.feeds,
      endpoints: [
        { label: 'V2 infer', path: '/v2/models/sizes/infer', body: v2Body(setup.tabular.feeds) },
        { label: 'records predict', path: '/api/v1/deployments/sizes/predict', body: JSON.stringify({ records: setup.tabular.records }) },
      ],
    },
  ]
  const lines: string[] = []
  for (const m of models) {
    const session = await ort.InferenceSession.create(m.bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 })
    const raw = await rawSessionRun(session, toOrt(m.feeds), secondsPerLevel)
    await session.release()
    // BENCH_SERVING_ENDPOINTS=binary measures only the endpoints whose label holds that text (for profiling one)
    const only = process.env.BENCH_SERVING_ENDPOINTS
    for (const endpoint of m.endpoints.filter((e) => !only || e.label.includes(only))) {
      await check(url, endpoint)
      await load(url, endpoint, 8, 1) // warm-up: JIT, connections, batching
      for (const c of concurrencies) {
        const level = await load(url, endpoint, c, secondsPerLevel)
        const ratio = level.requestsPerSecond / raw.requestsPerSecond
        const line = `| ${m.model}: ${endpoint.label} | c=${c} | ${fmt(level)} | ${fmt(raw)} (raw session.run, 1 thread) | ${ratio.toFixed(2)}× |`
        process.stdout.write(`  ${line}\n`)
        lines.push(line)
      }
    }
  }
  return lines
}

/** A canary goes out, ramps, and is rolled back while 200 requests/s arrive; every failed request counts. */
async function rolloutUnderLoad(setup: Setup): Promise<string> {
  const endpoint = { label: 'records', path: '/api/v1/deployments/sizes-canary/predict', body: JSON.stringify({ records: setup.tabular.records }) }
  await check(setup.serve.url, endpoint)
  const seconds = 12
  const running = load(setup.serve.url, endpoint, 16, seconds, 200)
  const steps: Array<[number, () => Promise<unknown>]> = [
    [2000, () => rollout(setup.services.db, 'sizes-canary', { version: 2, strategy: 'canary', weight: 10 }, by)],
    [5000, () => rollout(setup.services.db, 'sizes-canary', { version: 2, strategy: 'canary', weight: 50 }, by)],
    [8000, () => rollback(setup.services.db, 'sizes-canary', by)],
  ]
  const started = Date.now()
  for (const [at, step] of steps) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - (Date.now() - started))))
    await step()
  }
  const level = await running
  return `| canary 10 % → 50 % → rollback under 200 req/s (records, ${seconds} s, 16 connections) | ${Math.round(level.requestsPerSecond * seconds).toLocaleString('en')} requests, ${level.failed} failed; p50 ${level.p50Ms.toFixed(1)} ms, p99 ${level.p99Ms.toFixed(1)} ms | — | 0 failed |`
}

export async function benchServing(): Promise<string> {
  // a serve process on a 2-core machine gets a session thread per core; BENCH_SERVING_OPTIONS='{"threads":1}' tries others
  const serving = JSON.parse(process.env.BENCH_SERVING_OPTIONS ?? '{"threads":2}') as ServingLimits
  const setup = await setUp(serving)
  const loadBefore = os.loadavg()
  try {
    const lines = await throughputRows(setup)
    lines.push(await rolloutUnderLoad(setup))
    const loadAfter = os.loadavg()
    return [
      `Serving over HTTP: a separate \`npm run serve\` process on PostgreSQL (serving options ${JSON.stringify(serving)} over the defaults), autocannon ${secondsPerLevel} s per level in the bench process, prediction log on; 2 cores, load average ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after`,
      '| benchmark | Pipewright | reference, same run | ratio / target |',
      '| --- | --- | --- | --- |',
      ...lines,
    ].join('\n')
  } finally {
    await setup.close()
  }
}
