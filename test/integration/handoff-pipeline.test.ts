// External training on both installations: PGlite with the in-process queue, and PostgreSQL with
// BullMQ and a separate worker process of one slot. A waiting step holds no slot (another
// pipeline runs meanwhile); a webhook's model accepted by the web side resumes the run on the
// worker; a command runs in the worker process and its model completes the step there.
import http from 'node:http'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handoffs } from '@/db/schema'
import { acceptHandoffModel } from '@/server/handoffs/accept-model'
import { authorizeHandoff } from '@/server/handoffs/tickets'
import { getModelVersion } from '@/server/models/registry'
import { getRunDetail, startRun } from '@/server/runner/runs'
import { embeddedBackend, postgresRedisBackend, startWorkerProcess, stopWorker, type Backend, type WorkerProcess } from '../harness/backends'
import { fitOutside, type TabularManifest } from '../harness/outside-trainer'
import { runToEnd, savePipeline, waitFor, waitForRun } from '../harness/run-pipeline'

const commands = JSON.stringify({ 'pytorch-cnn': ['/usr/bin/python3', path.join(process.cwd(), 'examples/trainers/pytorch_cnn.py')] })
const settings = { PIPEWRIGHT_OUTBOUND_ALLOW: '127.0.0.0/8', PIPEWRIGHT_TRAINER_COMMANDS: commands, PIPEWRIGHT_WORKER_CONCURRENCY: '1' }

/** The trainer's webhook: it only takes the job, as a real one does before training. */
const jobs: { token: string; bundleUrl: string; manifest: TabularManifest }[] = []
const webhook = http.createServer((request, response) => {
  let body = ''
  request.on('data', (chunk) => (body += chunk))
  request.on('end', () => {
    jobs.push(JSON.parse(body) as (typeof jobs)[number])
    response.writeHead(202).end()
  })
})
let webhookUrl = ''

function tabular(name: string, trainer: Record<string, unknown>) {
  return {
    apiVersion: 'pipewright/v1',
    name,
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } },
      { id: 'check', kind: 'validate', config: { rules: [{ column: 'species', rule: 'in_set', values: ['Adelie', 'Chinstrap', 'Gentoo'] }] } },
      { id: 'split', kind: 'split', config: { stratifyBy: 'species', seed: 1 } },
      { id: 'train', kind: 'train-handoff', config: { trainer: { label: 'species', features: ['bill_length_mm', 'flipper_length_mm', 'island'], ...trainer }, registerAs: name } },
      { id: 'evaluate', kind: 'evaluate', config: {} },
    ],
    edges: [
      { from: 'load.dataset', to: 'check.dataset' },
      { from: 'check.clean', to: 'split.dataset' },
      { from: 'split.train', to: 'train.train' },
      { from: 'train.model', to: 'evaluate.model' },
      { from: 'split.test', to: 'evaluate.dataset' },
    ],
  }
}

function images(name: string) {
  return {
    apiVersion: 'pipewright/v1',
    name,
    nodes: [
      { id: 'camera', kind: 'ingest', config: { source: { type: 'camera', count: 60, width: 48, height: 48, defectRate: 0.5, defectMix: { scratch: 1, dust: 0, smudge: 0, dent: 0 }, seed: 5 } } },
      { id: 'split', kind: 'split', config: { ratios: { train: 0.7, validation: 0, test: 0.3 }, stratifyBy: 'label', seed: 5 } },
      { id: 'train', kind: 'train-handoff', config: { trainer: { type: 'command', command: 'pytorch-cnn', label: 'label', hyperparameters: { epochs: 3, imageSize: 16 } }, registerAs: name } },
      { id: 'evaluate', kind: 'evaluate', config: {} },
    ],
    edges: [
      { from: 'camera.dataset', to: 'split.dataset' },
      { from: 'split.train', to: 'train.train' },
      { from: 'train.model', to: 'evaluate.model' },
      { from: 'split.test', to: 'evaluate.dataset' },
    ],
  }
}

const backends: [string, () => Promise<{ backend: Backend; worker?: WorkerProcess }>][] = [
  ['PGlite, in-process queue', async () => ({ backend: await embeddedBackend(settings) })],
  [
    'PostgreSQL, BullMQ and a one-slot worker process',
    async () => {
      const backend = await postgresRedisBackend({ env: settings })
      const worker = startWorkerProcess(backend.workerEnv)
      await worker.ready
      return { backend, worker }
    },
  ],
]

beforeAll(async () => {
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve))
  webhookUrl = `http://127.0.0.1:${(webhook.address() as { port: number }).port}/train`
})
afterAll(() => void webhook.close())

describe.each(backends)('external training on %s', (_name, open) => {
  let backend: Backend
  let worker: WorkerProcess | undefined
  beforeAll(async () => {
    ;({ backend, worker } = await open())
  }, 60_000)
  afterAll(async () => {
    if (worker) await stopWorker(worker)
    await backend?.close()
  })

  const stepStatus = async (runId: string, nodeId: string) => (await getRunDetail(backend.services.db, runId)).steps.find((s) => s.nodeId === nodeId)!.status

  it('waits for a webhook’s model without holding the worker, then resumes the run with it', async () => {
    const { services } = backend
    const before = jobs.length
    const { runId } = await startRun(services, await savePipeline(services, tabular('webhook-penguins', { type: 'webhook', url: webhookUrl })))
    await waitFor('the webhook call', async () => (jobs.length > before ? true : undefined), 60_000)
    expect(await stepStatus(runId, 'train')).toBe('waiting')
    // the run page and the canvas say what it waits for: its model, not a person's approval
    expect((await getRunDetail(services.db, runId)).steps.find((s) => s.nodeId === 'train')!.waitingFor).toBe('handoff')
    // the only worker slot is free: another pipeline runs to the end meanwhile
    const meanwhile = await runToEnd(services, { apiVersion: 'pipewright/v1', name: 'meanwhile', nodes: [{ id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } }], edges: [] } as { name: string })
    expect(meanwhile.status).toBe('succeeded')
    expect(await stepStatus(runId, 'train')).toBe('waiting')

    const job = jobs.at(-1)!
    const handoffId = new URL(job.bundleUrl).pathname.split('/').at(-1)!
    const handoff = await authorizeHandoff(services.db, handoffId, `Bearer ${job.token}`)
    const model = await fitOutside(job.manifest, await services.store.localPath(handoff.files['train.parquet']!))
    await acceptHandoffModel(services, handoff, model)
    const run = await waitForRun(services, runId, 60_000)
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.nodeId, s.status, s.error]))).toBe('succeeded')
    expect((await getModelVersion(services.db, 'webhook-penguins', 1)).metadata).toMatchObject({ algorithm: 'external (webhook)' })
  }, 120_000)

  it('runs the PyTorch trainer as a command where the step ran, and the run goes on with its model', async () => {
    const { services } = backend
    const { runId } = await startRun(services, await savePipeline(services, images('command-surface')))
    const run = await waitForRun(services, runId, 180_000)
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.nodeId, s.status, s.error]))).toBe('succeeded')
    const [handoff] = await services.db.select().from(handoffs).where(eq(handoffs.runId, run.id))
    expect(handoff).toMatchObject({ mode: 'command' })
    expect(handoff!.usedAt).not.toBeNull()
    expect((await getModelVersion(services.db, 'command-surface', 1)).metadata).toMatchObject({ algorithm: 'external (command)', inputs: [{ name: 'image', type: 'uint8' }] })
  }, 200_000)
})
