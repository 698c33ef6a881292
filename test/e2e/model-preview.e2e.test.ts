// The in-browser model preview, as an operator meets it: a model trained in the app (penguins,
// with its training profile) and an imported CNN, each opened on its preview page in Chromium.
// The form is generated from the features and the training data; the browser's label and
// scores equal onnxruntime-node's on the same input to 1e-5; an image dropped on the page is
// scored as its own pixels; the model is downloaded once and read from the cache after. The page
// is cross-origin isolated (COOP + COEP), so onnxruntime-web runs on threads; the rest of the app is not.
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { runModel, type RawTensor, type RunOutputs } from '@/nodes/train-handoff/onnx/test-runtimes'
import { startAppServer, type AppServer } from '../harness/app-server'
import { dropImageFile, launchBrowser, signIn } from '../harness/browser'
import { ModelTrainer } from '../harness/trained-models'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Petra Preview', email: 'petra@example.com', password: 'numbers that agree' }
const operator = { name: 'Olga Operator', email: 'olga@example.com', password: 'only looking here', role: 'operator' }
const tolerance = 1e-5

const penguinPipeline = {
  apiVersion: 'pipewright/v1',
  name: 'penguin-preview',
  nodes: [
    { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } },
    {
      id: 'train',
      kind: 'train-handoff',
      config: {
        trainer: { type: 'builtin', algorithm: 'logistic-regression', label: 'species', features: ['island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex'], epochs: 40 },
        registerAs: 'penguins',
        seed: 1,
      },
    },
  ],
  edges: [{ from: 'load.dataset', to: 'train.train' }],
}

/** Stripes down the picture, 45 wide and 30 high: a size the CNN never trained on. */
function stripes(width = 45, height = 30): Uint8Array {
  const rgb = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(x % 8 < 4 ? [210, 190, 160] : [70, 72, 75], (y * width + x) * 3)
  return rgb
}

describe('previewing a model in the browser', () => {
  let app: AppServer
  let browser: Browser
  let page: Page
  let token = ''
  /** what Chromium refused to load or run on the page: COEP blocks show up here */
  const problems: string[] = []
  const trainer = new ModelTrainer()
  const auth = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' })

  async function api<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${app.url}${route}`, { method, headers: auth(), body: body === undefined ? undefined : JSON.stringify(body) })
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`)
    return response.json() as Promise<T>
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    token = (await api<{ token: string }>('POST', '/api/v1/setup', owner)).token
    await api('POST', '/api/v1/users', operator)
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage()
    page.setDefaultTimeout(60_000)
    page.on('requestfailed', (request) => {
      // Next.js cancels its link prefetches once it has read them, isolated page or not; a COEP refusal is ERR_BLOCKED_BY_RESPONSE
      if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`${request.url()}: ${request.failure()?.errorText}`)
    })
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    await signIn(page, app.url, operator)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    await trainer.cleanup()
  })

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })

  async function modelBytes(name: string, version: number): Promise<Uint8Array> {
    const response = await fetch(`${app.url}/api/v1/models/${name}/versions/${version}/content`, { headers: auth() })
    return new Uint8Array(await response.arrayBuffer())
  }

  /** The browser's scores, read off the bars' data attributes (the float32 values as numbers). */
  async function browserScores(): Promise<Record<string, number>> {
    return Object.fromEntries(await page.$$eval('[data-testid=preview-score]', (rows) => rows.map((r) => [r.getAttribute('data-label')!, Number(r.getAttribute('data-score'))])))
  }

  /** Isolated, and on as many threads as the page promises: up to 4 of the cores, more than one when there are. */
  async function expectThreaded() {
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true)
    const cores = await page.evaluate(() => navigator.hardwareConcurrency)
    const threads = Number(await page.getAttribute('[data-testid=preview-threads]', 'data-threads'))
    expect(threads).toBe(Math.min(4, cores))
    if (cores > 1) {
      expect(threads).toBeGreaterThan(1)
      expect(await page.textContent('[data-testid=preview-threads]')).toBe(`wasm · ${threads} threads`)
      // the threads are real: onnxruntime-web started its pthread workers from the app's own /ort/
      expect(page.workers().filter((w) => new URL(w.url()).pathname === '/ort/ort-wasm-simd-threaded.mjs').length).toBeGreaterThanOrEqual(threads - 1)
    }
  }

  function expectSameScores(browserSide: Record<string, number>, node: RunOutputs, labels: string[]) {
    const probabilities = node.probabilities!.data as Float32Array
    expect(Object.keys(browserSide).sort()).toEqual([...labels].sort())
    labels.forEach((label, i) => expect(Math.abs(browserSide[label]! - probabilities[i]!), label).toBeLessThanOrEqual(tolerance))
  }

  it('trains penguins in the app and links its version page to the preview', async () => {
    const pipeline = await api<{ id: string }>('POST', '/api/v1/pipelines', penguinPipeline)
    const started = await api<{ runId?: string; id?: string }>('POST', `/api/v1/pipelines/${pipeline.id}/runs`, {})
    const runId = started.runId ?? started.id
    await expect.poll(async () => (await api<{ status: string }>('GET', `/api/v1/runs/${runId}`)).status, { timeout: 120_000, interval: 500 }).toBe('succeeded')
    await expect.poll(async () => (await fetch(`${app.url}/api/v1/models/penguins`, { headers: auth() })).status, { timeout: 30_000 }).toBe(200)

    await page.goto(`${app.url}/models/penguins/versions/1`)
    await page.click('[data-testid=preview-link]')
    await page.waitForURL('**/models/penguins/versions/1/preview')
    // the link loads a new document (a client-side navigation would keep the version page's headers)
    await page.waitForSelector('[data-testid=preview-ready]')
    await expectThreaded()
  })

  it('builds the form from the features and the training profile, and warns outside the training range', async () => {
    await page.waitForSelector('[data-testid=preview-ready]')
    expect(await page.textContent('[data-testid=preview-ready]')).toContain('downloaded')
    const inputs = await page.$$eval('[data-testid=preview-field]', (fields) => fields.map((f) => f.getAttribute('data-input')))
    expect(inputs).toEqual(['island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex'])
    // prefilled with the training mean, the training range beside it (the sample's dirty rows included: it was trained on them)
    const { metadata } = await api<{ metadata: ModelMetadata }>('GET', '/api/v1/models/penguins/versions/1')
    const profile = metadata.referenceProfile!.find((p) => p.name === 'bill_length_mm')!
    if (profile.kind !== 'number') throw new Error('bill_length_mm has no number profile')
    const bill = page.locator('[data-testid=preview-field][data-input=bill_length_mm]')
    expect(Number(await bill.locator('input').inputValue())).toBeCloseTo(profile.mean, 3)
    expect(await bill.textContent()).toContain(`training range ${profile.min} – ${profile.max}`)
    const islands = await page.locator('[data-testid=preview-field][data-input=island] select option').allTextContents()
    expect(islands).toEqual(expect.arrayContaining(['(missing)', 'Biscoe', 'Dream', 'Torgersen', 'other…']))

    await page.locator('[data-testid=preview-field][data-input=body_mass_g] input').fill('9000')
    expect(await page.textContent('[data-testid=preview-field][data-input=body_mass_g] [data-testid=preview-range-warning]')).toMatch(/^ ?outside the training range -?[\d.]+ – [\d.]+$/)
    await page.locator('[data-testid=preview-field][data-input=bill_length_mm] input').fill('nearly fifty')
    await page.click('[data-testid=preview-run]')
    expect(await page.textContent('[data-testid=preview-field][data-input=bill_length_mm]')).toContain('"nearly fifty" is not a number')
    expect(await page.isVisible('[data-testid=preview-result]')).toBe(false)
  })

  it('predicts in the browser what onnxruntime-node predicts on the same record, missing sex included', async () => {
    const record = { island: 'Dream', bill_length_mm: 49.5, bill_depth_mm: 18.4, flipper_length_mm: 196, body_mass_g: 3900 }
    for (const [column, value] of Object.entries(record)) {
      const field = page.locator(`[data-testid=preview-field][data-input=${column}]`)
      if (typeof value === 'string') await field.locator('select').selectOption({ label: value })
      else await field.locator('input').fill(String(value))
    }
    await page.locator('[data-testid=preview-field][data-input=sex] select').selectOption({ label: '(missing)' })
    await page.click('[data-testid=preview-run]')
    await page.waitForSelector('[data-testid=preview-result]')
    await expect.poll(() => page.textContent('[data-testid=preview-p50-ms]')).toMatch(/^[\d.]+ (ms|s)$/)
    expect(await page.textContent('[data-testid=preview-create-ms]')).toMatch(/^[\d.]+ (ms|s)$/)

    const bytes = await modelBytes('penguins', 1)
    const labels = readModelMetadata(bytes)!.labels!
    const number = (v: number): RawTensor => ({ type: 'float32', data: Float32Array.from([v]), dims: [1, 1] })
    const text = (v: string): RawTensor => ({ type: 'string', data: [v], dims: [1, 1] })
    const node = await runModel('onnxruntime-node', bytes, {
      island: text('Dream'),
      bill_length_mm: number(49.5),
      bill_depth_mm: number(18.4),
      flipper_length_mm: number(196),
      body_mass_g: number(3900),
      sex: text(''),
    })
    expect(await page.textContent('[data-testid=preview-label]')).toBe((node.label!.data as string[])[0])
    expectSameScores(await browserScores(), node, labels)
    await shot('preview-01-penguins')
  })

  it('takes an unseen category through "other…", and reads the model from the cache on the next visit', async () => {
    await page.reload()
    await page.waitForSelector('[data-testid=preview-ready]')
    expect(await page.textContent('[data-testid=preview-ready]')).toContain('from this browser’s cache')
    const island = page.locator('[data-testid=preview-field][data-input=island]')
    await island.locator('select').selectOption({ label: 'other…' })
    await island.locator('input').fill('Atlantis')
    expect(await island.textContent()).toContain('a category training never saw')
    await page.click('[data-testid=preview-run]')
    await page.waitForSelector('[data-testid=preview-label]')
    // every class scored, the scores a distribution over them
    const { metadata } = await api<{ metadata: ModelMetadata }>('GET', '/api/v1/models/penguins/versions/1')
    const scores = await browserScores()
    expect(Object.keys(scores).sort()).toEqual([...metadata.labels!].sort())
    expect(Object.values(scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    expect(metadata.labels).toContain(await page.textContent('[data-testid=preview-label]'))
  })

  it('says clearly when the deployment to compare with cannot answer', async () => {
    await page.fill('[data-testid=preview-compare-hint] input', 'penguins-live')
    await page.click('[data-testid=preview-compare-hint] button')
    await page.waitForURL('**/models/penguins/versions/1/preview?deployment=penguins-live')
    await page.waitForSelector('[data-testid=preview-ready]')
    expect(await page.isDisabled('[data-testid=preview-compare-run]')).toBe(true)
    await page.click('[data-testid=preview-run]')
    await page.waitForSelector('[data-testid=preview-result]')
    await page.click('[data-testid=preview-compare-run]')
    const error = await page.waitForSelector('[data-testid=preview-compare-error]')
    expect(await error.textContent()).toMatch(/The server answered \d{3}: .+/)
    await shot('preview-02-compare-error')
  })

  it('scores an image dropped on the page as its own pixels, as onnxruntime-node does', async () => {
    const cnn = await trainer.cnn()
    const labels = readModelMetadata(cnn.bytes)!.labels!
    const imported = await fetch(`${app.url}/api/v1/models/stripes/versions?labels=${labels.join(',')}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: Buffer.from(cnn.bytes) })
    expect(imported.status, await imported.clone().text()).toBe(201)

    problems.length = 0
    const response = await page.goto(`${app.url}/models/stripes/versions/1/preview`)
    // the webcam may be asked for on this page, and only here
    expect(response!.headers()['permissions-policy']).toContain('camera=(self)')
    expect(response!.headers()).toMatchObject({ 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' })
    await page.waitForSelector('[data-testid=preview-ready]')
    await expectThreaded()
    const rgb = stripes()
    const png = await sharp(Buffer.from(rgb), { raw: { width: 45, height: 30, channels: 3 } }).png().toBuffer()
    await dropImageFile(page, '[data-testid=preview-drop]', png, 'stripes.png')
    await page.waitForSelector('[data-testid=preview-result]')
    expect(await page.textContent('[data-testid=preview-image-source]')).toBe('stripes.png, 45×30')

    const node = await runModel('onnxruntime-node', cnn.bytes, { image: { type: 'uint8', data: rgb, dims: [1, 30, 45, 3] } })
    const probabilities = node.probabilities!.data as Float32Array
    const best = labels[probabilities.indexOf(Math.max(...probabilities))]
    expect(await page.textContent('[data-testid=preview-label]')).toBe(best)
    expectSameScores(await browserScores(), node, labels)
    await expect.poll(() => page.textContent('[data-testid=preview-p50-ms]')).toMatch(/ms|s$/)
    // nothing the page loads (chunks, fonts, /ort/ files, workers, the model) was refused under COEP
    expect(problems).toEqual([])
    await shot('preview-03-image')
  })

  it('draws a frame from the camera emulator, and explains a missing camera', async () => {
    await page.click('[data-testid=preview-source-emulator]')
    await page.click('[data-testid=preview-emulator-frame]')
    await expect.poll(() => page.textContent('[data-testid=preview-image-source]')).toContain('camera emulator frame 1')
    await page.waitForSelector('[data-testid=preview-label]')

    await page.click('[data-testid=preview-source-webcam]')
    await page.click('[data-testid=preview-webcam-start]')
    expect(await (await page.waitForSelector('[data-testid=preview-webcam-error]')).textContent()).toMatch(/No camera was found|Camera permission was denied|camera could not be started/)
    await shot('preview-04-webcam')
  })

  it('leaves the rest of the app without COEP: a normal page is not cross-origin isolated', async () => {
    for (const route of ['/deployments', '/models/stripes/versions/1']) {
      const response = await page.goto(`${app.url}${route}`)
      expect(response!.status(), route).toBe(200)
      expect(response!.headers()['cross-origin-embedder-policy'], route).toBeUndefined()
      expect(await page.evaluate(() => globalThis.crossOriginIsolated), route).toBe(false)
    }
  })
})
