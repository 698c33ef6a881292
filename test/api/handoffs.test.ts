// External training: a train step hands its data to a webhook's trainer or a person, waits
// (holding no worker) and resumes when the model arrives through the callback.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, handoffs } from '@/db/schema'
import { tempDir } from '../harness/backends'
import { tinyClassifier } from '../harness/onnx-models'
import { fitOutside, type TabularManifest } from '../harness/outside-trainer'
import { call } from '../harness/routes'
import { savePipeline, waitFor, waitForRun } from '../harness/run-pipeline'

const dataDir = tempDir('handoffs')
process.env.PIPEWRIGHT_DATA_DIR = dataDir
process.env.LOG_LEVEL = 'silent'
process.env.PIPEWRIGHT_OUTBOUND_ALLOW = '127.0.0.0/8'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const services = await import('@/server/services')
const { startRunningSteps } = await import('@/server/runner/step-runner')
const started = new WeakSet<object>()

/** The app's services with one in-process worker: a waiting step must not need a second. */
async function getServices() {
  const current = await services.getServices()
  if (!started.has(current)) {
    started.add(current)
    await startRunningSteps(current, 1)
  }
  return current
}
const { closeServices } = services
const { startRun, getRunDetail } = await import('@/server/runner/runs')
const { expireHandoffs } = await import('@/server/handoffs/expire')
const { getModelVersion } = await import('@/server/models/registry')
const manifestRoute = await import('@/app/api/v1/handoffs/[handoffId]/route')
const filesRoute = await import('@/app/api/v1/handoffs/[handoffId]/files/[name]/route')
const modelRoute = await import('@/app/api/v1/handoffs/[handoffId]/model/route')
const stepModelRoute = await import('@/app/api/v1/runs/[runId]/steps/[nodeId]/model/route')
const setupRoute = await import('@/app/api/v1/setup/route')
const runRoute = await import('@/app/api/v1/runs/[runId]/route')
const { createApiToken, createUser } = await import('@/server/auth/accounts')

interface WebhookCall {
  manifest: TabularManifest
  bundleUrl: string
  callbackUrl: string
  token: string
}

/** A trainer's webhook that only records what it was told, as a real one would before training. */
const received: WebhookCall[] = []
const webhook = http.createServer((request, response) => {
  let body = ''
  request.on('data', (chunk) => (body += chunk))
  request.on('end', () => {
    received.push(JSON.parse(body) as WebhookCall)
    response.writeHead(202).end('queued')
  })
})
let webhookUrl = ''

function pipeline(name: string, trainer: Record<string, unknown>) {
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

const idOf = (call: WebhookCall) => new URL(call.bundleUrl).pathname.split('/').at(-1)!
const sendModel = (handoffId: string, body: Uint8Array | string, token: string) =>
  call(modelRoute.POST, 'POST', `/api/v1/handoffs/${handoffId}/model`, { handoffId }, { token, body: body as BodyInit })

/** As a webhook's trainer does it: the Parquet fetched with the token. */
async function trainOutside(handoff: WebhookCall): Promise<Uint8Array> {
  const handoffId = idOf(handoff)
  const response = await filesRoute.GET(new Request(`http://localhost/api/v1/handoffs/${handoffId}/files/train.parquet`, { headers: { authorization: `Bearer ${handoff.token}` } }), { params: Promise.resolve({ handoffId, name: 'train.parquet' }) })
  expect(response.status).toBe(200)
  const file = path.join(dataDir, `${handoffId}.parquet`)
  fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()))
  return fitOutside(handoff.manifest, file)
}

async function startWaiting(name: string, trainer: Record<string, unknown>) {
  const services = await getServices()
  const before = received.length
  const { runId } = await startRun(services, await savePipeline(services, pipeline(name, trainer)))
  await waitFor('the train step to wait', async () => {
    const run = await getRunDetail(services.db, runId)
    const train = run.steps.find((s) => s.nodeId === 'train')!
    if (train.status === 'failed' || run.status === 'failed') throw new Error(`the run failed: ${JSON.stringify(run.steps.map((s) => [s.nodeId, s.status, s.error]))}`)
    return train.status === 'waiting' ? true : undefined
  })
  if (trainer.type === 'webhook') await waitFor('the webhook call', async () => (received.length > before ? true : undefined))
  return { runId, handoff: received[received.length - 1]! }
}

beforeAll(async () => {
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve))
  webhookUrl = `http://127.0.0.1:${(webhook.address() as { port: number }).port}/train`
})
afterAll(async () => {
  webhook.close()
  await closeServices(await getServices())
})

describe('handing training to a webhook', () => {
  it('parks the step and the run as waiting, serves the manifest and data to the token, and resumes when the model arrives', async () => {
    const { runId, handoff } = await startWaiting('outside-penguins', { type: 'webhook', url: webhookUrl, hyperparameters: { epochs: 3 } })
    const services = await getServices()
    expect((await getRunDetail(services.db, runId)).status).toBe('waiting')
    expect(handoff.manifest).toMatchObject({ task: 'classification', label: 'species', labels: ['Adelie', 'Chinstrap', 'Gentoo'], hyperparameters: { epochs: 3 } })
    expect(handoff.manifest.features.map((f) => f.name)).toEqual(['bill_length_mm', 'flipper_length_mm', 'island'])
    const handoffId = idOf(handoff)
    const manifest = await call(manifestRoute.GET, 'GET', `/api/v1/handoffs/${handoffId}`, { handoffId }, { token: handoff.token })
    expect(manifest.status).toBe(200)
    expect(Object.keys(manifest.body.files).sort()).toEqual(['train.csv', 'train.parquet'])

    const model = await trainOutside(handoff)
    const accepted = await sendModel(handoffId, model, handoff.token)
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201)
    const run = await waitForRun(services, runId)
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.nodeId, s.status, s.error]))).toBe('succeeded')
    const version = await getModelVersion(services.db, 'outside-penguins', 1)
    expect(version.metadata).toMatchObject({ algorithm: 'external (webhook)', labels: ['Adelie', 'Chinstrap', 'Gentoo'], params: { epochs: 3 } })
    expect(version.lineage).toMatchObject({ runId, nodeId: 'train' })
    const [entry] = await services.db.select().from(auditLog).where(eq(auditLog.target, `run ${runId} step train`))
    expect(entry).toMatchObject({ action: 'model.import', actor: 'external trainer', client: `handoff ${handoffId}` })
    // one-time: the same token again is refused, saying why
    const again = await sendModel(handoffId, model, handoff.token)
    expect(again.status).toBe(410)
    expect(again.body.error).toMatch(/already arrived/)
  })

  it('refuses a wrong token (401), a file that is not ONNX and a model with other inputs (400), and keeps waiting', async () => {
    const { runId, handoff } = await startWaiting('outside-refusals', { type: 'webhook', url: webhookUrl })
    const handoffId = idOf(handoff)
    expect((await sendModel(handoffId, await trainOutside(handoff), 'pw_handoff_wrongwrongwrongwrongwrongwrong')).status).toBe(401)
    expect((await sendModel(handoffId, await trainOutside(handoff), '')).body.error).toMatch(/Authorization: Bearer/)
    const notOnnx = await sendModel(handoffId, 'this is not a model', handoff.token)
    expect(notOnnx.status).toBe(400)
    const otherInputs = await sendModel(handoffId, tinyClassifier(), handoff.token)
    expect(otherInputs.status).toBe(400)
    expect(otherInputs.body.error).toMatch(/The model's input "\w+" is not a feature of the handed-off dataset/)
    const empty = await sendModel(handoffId, new Uint8Array(0), handoff.token)
    expect(empty.status).toBe(400)
    const services = await getServices()
    expect((await getRunDetail(services.db, runId)).steps.find((s) => s.nodeId === 'train')!.status).toBe('waiting')
    expect((await sendModel(handoffId, await trainOutside(handoff), handoff.token)).status).toBe(201)
    expect((await waitForRun(services, runId)).status).toBe('succeeded')
  })

  it('runs another pipeline on the same worker while one waits, and fails a handoff that times out', async () => {
    const services = await getServices()
    const waiting = await startWaiting('outside-late', { type: 'manual', timeoutMinutes: 1 })
    // a second run goes through while the first waits: the waiting step holds no worker
    const other = await startRun(services, await savePipeline(services, { apiVersion: 'pipewright/v1', name: 'meanwhile', nodes: [{ id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } }], edges: [] } as { name: string }))
    expect((await waitForRun(services, other.runId)).status).toBe('succeeded')
    expect((await getRunDetail(services.db, waiting.runId)).status).toBe('waiting')

    expect(await expireHandoffs(services.db, new Date(Date.now() + 2 * 60_000))).toEqual([waiting.runId])
    const run = await waitForRun(services, waiting.runId)
    expect(run.status).toBe('failed')
    expect(run.steps.find((s) => s.nodeId === 'train')!.error).toMatch(/^No model arrived within 1 minute \(nobody uploaded one by .+\); raise timeoutMinutes or run the pipeline again\.$/)
    expect(run.steps.find((s) => s.nodeId === 'evaluate')!.status).toBe('skipped')
  })

  it('loses nothing when the server restarts while a step waits', async () => {
    const { runId, handoff } = await startWaiting('outside-restart', { type: 'webhook', url: webhookUrl })
    // as a restart does: the database closed and opened again, a new worker, nothing kept in memory
    await closeServices(await getServices())
    delete (globalThis as { __pipewrightServices?: unknown }).__pipewrightServices
    const services = await getServices()
    expect((await getRunDetail(services.db, runId)).status).toBe('waiting')
    expect((await sendModel(idOf(handoff), await trainOutside(handoff), handoff.token)).status).toBe(201)
    expect((await waitForRun(services, runId)).status).toBe('succeeded')
  })

  it('fails the step with a clear message when the webhook refuses the job', async () => {
    const services = await getServices()
    const { runId } = await startRun(services, await savePipeline(services, pipeline('outside-refused', { type: 'webhook', url: 'http://127.0.0.1:1/nothing-listens' })))
    const run = await waitForRun(services, runId)
    expect(run.steps.find((s) => s.nodeId === 'train')!.error).toMatch(/The training webhook .+ could not be called: the connection failed\./)
  })
})

describe('a manual handoff', () => {
  it('takes the model a person uploads (model:register), refusing others with the reason, once', async () => {
    const services = await getServices()
    const owner = await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' } })
    const operator = await createUser(services.db, { email: 'op@example.com', name: 'Op', role: 'operator', password: 'a fine password' })
    const operatorToken = (await createApiToken(services.db, operator.id, 'read')).token
    const { runId } = await startWaiting('outside-manual', { type: 'manual' })
    const [handoff] = await services.db.select().from(handoffs).where(eq(handoffs.runId, runId))
    const model = await fitOutside(handoff!.manifest as unknown as TabularManifest, await services.store.localPath(handoff!.files['train.parquet']!))
    const upload = (nodeId: string, body: Uint8Array | string, token = owner.body.token as string) =>
      call(stepModelRoute.POST, 'POST', `/api/v1/runs/${runId}/steps/${nodeId}/model`, { runId, nodeId }, { token, body: body as BodyInit })

    // the REST answer says what the waiting step waits for, as the run page does
    const waiting = await call(runRoute.GET, 'GET', `/api/v1/runs/${runId}`, { runId }, { token: operatorToken })
    expect(waiting.body.steps.map((s: { nodeId: string; waitingFor: string | null }) => [s.nodeId, s.waitingFor])).toEqual([['load', null], ['check', null], ['split', null], ['train', 'handoff'], ['evaluate', null]])

    expect((await upload('train', model, operatorToken)).status).toBe(403)
    const notWaiting = await upload('load', model)
    expect([notWaiting.status, notWaiting.body.error]).toEqual([409, 'Step "load" does not hand training off: it trains its model itself.'])
    expect((await upload('no-such-step', model)).status).toBe(404)
    const junk = await upload('train', 'not a model')
    expect(junk.status).toBe(400)
    expect(junk.body.error).toMatch(/not an ONNX model/)
    const taken = await upload('train', model)
    expect(taken.status, JSON.stringify(taken.body)).toBe(201)
    expect((await waitForRun(services, runId)).status).toBe('succeeded')
    const done = await call(runRoute.GET, 'GET', `/api/v1/runs/${runId}`, { runId }, { token: operatorToken })
    expect(done.body.steps.find((s: { nodeId: string }) => s.nodeId === 'train')).toMatchObject({ status: 'succeeded', waitingFor: null })
    expect((await upload('train', model)).status).toBe(410)
    const version = await getModelVersion(services.db, 'outside-manual', 1)
    expect(version.metadata).toMatchObject({ algorithm: 'external (manual)' })
  })
})
