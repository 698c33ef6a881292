// External training against the production build: a person uploads the model a waiting step
// asks for in the browser, and the PyTorch example trainer works a webhook's job over HTTP alone
// (it downloads the bundle with the token and POSTs the model back).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { tempDir } from '../harness/backends'
import { launchBrowser, signIn } from '../harness/browser'
import { withDuckDB } from '@/nodes/_lib/duckdb'
import { fitOutside } from '../harness/outside-trainer'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Hana Handoff', email: 'hana@example.com', password: 'models from elsewhere' }
const features = [
  { name: 'bill_length_mm', kind: 'number' as const },
  { name: 'flipper_length_mm', kind: 'number' as const },
  { name: 'island', kind: 'category' as const },
]

/** The webhook a trainer service would expose: here it starts the PyTorch script over HTTP. */
const trainerRuns: { code: number | null; output: string }[] = []
const webhook = http.createServer((request, response) => {
  let body = ''
  request.on('data', (chunk) => (body += chunk))
  request.on('end', () => {
    const job = JSON.parse(body) as { bundleUrl: string; token: string }
    const child = spawn('/usr/bin/python3', ['examples/trainers/pytorch_cnn.py', '--bundle-url', job.bundleUrl, '--token', job.token], { stdio: ['ignore', 'pipe', 'pipe'] })
    const record = { code: null as number | null, output: '' }
    trainerRuns.push(record)
    child.stdout.on('data', (chunk) => (record.output += chunk))
    child.stderr.on('data', (chunk) => (record.output += chunk))
    child.on('close', (code) => (record.code = code))
    response.writeHead(202).end('training')
  })
})

describe('external training in the running app', () => {
  let app: AppServer
  let browser: Browser
  let page: Page
  let auth: Record<string, string>

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve))
    app = await startAppServer({ PIPEWRIGHT_OUTBOUND_ALLOW: '127.0.0.0/8' })
    const setup = await (await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })).json()
    auth = { authorization: `Bearer ${setup.token}`, 'content-type': 'application/json' }
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage()
    page.setDefaultTimeout(60_000)
    await signIn(page, app.url, owner)
  }, 120_000)

  afterAll(async () => {
    webhook.close()
    await browser?.close()
    await app?.stop()
  })

  async function startPipeline(file: unknown): Promise<string> {
    const created = await (await fetch(`${app.url}/api/v1/pipelines`, { method: 'POST', headers: auth, body: JSON.stringify(file) })).json()
    const started = await (await fetch(`${app.url}/api/v1/pipelines/${created.id}/runs`, { method: 'POST', headers: auth, body: '{}' })).json()
    return started.runId ?? started.id
  }

  async function runStatus(runId: string): Promise<{ status: string; steps: { nodeId: string; status: string; error: string | null; outputs: Record<string, string> | null }[] }> {
    return (await fetch(`${app.url}/api/v1/runs/${runId}`, { headers: auth })).json()
  }

  async function untilRunEnds(runId: string, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const run = await runStatus(runId)
      if (['succeeded', 'failed', 'canceled'].includes(run.status)) return run
      if (Date.now() > deadline) throw new Error(`run still ${run.status}: ${JSON.stringify(run.steps)}`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }

  /** What the person trained elsewhere: a model on the handed-off train side, which they can download. */
  async function modelFor(runId: string): Promise<Buffer> {
    const split = (await runStatus(runId)).steps.find((s) => s.nodeId === 'split')!
    const parquet = path.join(tempDir('handoff-e2e'), 'train.parquet')
    fs.writeFileSync(parquet, Buffer.from(await (await fetch(`${app.url}/api/v1/artifacts/${split.outputs!.train}/content`, { headers: auth })).arrayBuffer()))
    const labels = (await withDuckDB((db) => db.rows(`SELECT DISTINCT species FROM read_parquet('${parquet}') WHERE species IS NOT NULL`))).map((r) => String(r.species)).sort()
    return Buffer.from(await fitOutside({ task: 'classification', label: 'species', labels, features, hyperparameters: {} }, parquet))
  }

  it('shows a waiting step with what it needs, refuses a wrong file there, and takes the right one', async () => {
    const runId = await startPipeline({
      apiVersion: 'pipewright/v1',
      name: 'uploaded-by-hand',
      nodes: [
        { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } },
        { id: 'split', kind: 'split', config: { stratifyBy: 'species' } },
        { id: 'train', kind: 'train-handoff', config: { trainer: { type: 'manual', label: 'species', features: features.map((f) => f.name) }, registerAs: 'by-hand' } },
        { id: 'evaluate', kind: 'evaluate', config: {} },
      ],
      edges: [{ from: 'load.dataset', to: 'split.dataset' }, { from: 'split.train', to: 'train.train' }, { from: 'train.model', to: 'evaluate.model' }, { from: 'split.test', to: 'evaluate.dataset' }],
    })
    await page.goto(`${app.url}/runs/${runId}`)
    await page.waitForSelector('[data-testid=step-train][data-status=waiting]')
    expect(await page.innerText('[data-testid=step-train]')).toContain('waiting for its model from outside')
    await page.click('[data-testid=step-train] >> text=train')
    await page.waitForSelector('[data-testid=waiting-handoff]')
    const waiting = await page.innerText('[data-testid=waiting-handoff]')
    expect(waiting).toContain('Waiting for the model from a person uploading it here')
    expect(waiting).toContain('bill_length_mm (float32 [batch, 1]), flipper_length_mm (float32 [batch, 1]), island (string [batch, 1])')

    const upload = async (name: string, buffer: Buffer) => {
      await page.setInputFiles('[data-testid=handoff-upload] input[type=file]', { name, mimeType: 'application/octet-stream', buffer })
      await page.click('[data-testid=handoff-upload] button[type=submit]')
    }
    await upload('notes.onnx', Buffer.from('this is not a model'))
    await page.waitForSelector('text=The model was not taken')
    expect(await page.innerText('[data-testid=handoff-upload]')).toContain('not an ONNX model')
    await page.screenshot({ path: path.join(shots, 'handoff-waiting-refused.png'), fullPage: true })

    await upload('penguins.onnx', await modelFor(runId))
    await page.waitForSelector('[data-testid=waiting-handoff]', { state: 'detached' })
    const run = await untilRunEnds(runId, 60_000)
    expect(run.status, JSON.stringify(run.steps)).toBe('succeeded')
    const version = await (await fetch(`${app.url}/api/v1/models/by-hand/versions/1`, { headers: auth })).json()
    expect(version).toMatchObject({ name: 'by-hand', version: 1, labels: expect.arrayContaining(['Adelie', 'Gentoo']) })
  }, 120_000)

  it('lets the PyTorch example trainer take a webhook’s job over HTTP and send its model back', async () => {
    const runId = await startPipeline({
      apiVersion: 'pipewright/v1',
      name: 'pytorch-over-http',
      nodes: [
        { id: 'camera', kind: 'ingest', config: { source: { type: 'camera', count: 60, width: 48, height: 48, defectRate: 0.5, defectMix: { scratch: 1, dust: 0, smudge: 0, dent: 0 }, seed: 9 } } },
        { id: 'split', kind: 'split', config: { ratios: { train: 0.7, validation: 0.1, test: 0.2 }, stratifyBy: 'label', seed: 9 } },
        { id: 'train', kind: 'train-handoff', config: { trainer: { type: 'webhook', url: `http://127.0.0.1:${(webhook.address() as { port: number }).port}/jobs`, label: 'label', hyperparameters: { epochs: 3, imageSize: 16 } }, registerAs: 'pytorch-http' } },
        { id: 'evaluate', kind: 'evaluate', config: {} },
      ],
      edges: [
        { from: 'camera.dataset', to: 'split.dataset' },
        { from: 'split.train', to: 'train.train' },
        { from: 'split.validation', to: 'train.validation' },
        { from: 'train.model', to: 'evaluate.model' },
        { from: 'split.test', to: 'evaluate.dataset' },
      ],
    })
    const run = await untilRunEnds(runId, 120_000)
    expect(run.status, `${JSON.stringify(run.steps)}\n${trainerRuns.at(-1)?.output}`).toBe('succeeded')
    expect(trainerRuns.at(-1)!.output).toMatch(/epoch 3 of 3: loss [\d.]+, validation accuracy [\d.]+/)
    expect(trainerRuns.at(-1)!.output).toContain('the model was taken')
    const version = await (await fetch(`${app.url}/api/v1/models/pytorch-http/versions/1`, { headers: auth })).json()
    expect(version.inputs).toEqual([{ name: 'image', type: 'uint8', shape: ['batch', 'height', 'width', 3] }])
  }, 180_000)
})
