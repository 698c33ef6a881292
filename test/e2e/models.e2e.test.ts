import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser, signIn } from '../harness/browser'
import { tinyClassifier } from '../harness/onnx-models'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Mona Modeller', email: 'mona@example.com', password: 'registry of record' }
const operator = { name: 'Otto Operator', email: 'otto@example.com', password: 'read only please', role: 'operator' }

describe('the model registry in the browser', () => {
  let app: AppServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let token = ''

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    const setup = await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
    token = (await setup.json()).token
    const created = await fetch(`${app.url}/api/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(operator) })
    expect(created.status).toBe(201)
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })
    page = await context.newPage()
    page.setDefaultTimeout(30_000)
    await signIn(page, app.url, owner)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })

  /** Fills the import form as a person does: a name, a file from disk, the labels. */
  async function importThroughForm(name: string, file: { name: string; buffer: Buffer }, labels = '') {
    if (!(await page.isVisible('[data-testid=import-form]'))) await page.click('[data-testid=import-open]')
    await page.fill('#import-name', name)
    await page.setInputFiles('#import-file', { name: file.name, mimeType: 'application/octet-stream', buffer: file.buffer })
    await page.fill('#import-labels', labels)
    await page.click('[data-testid=import-submit]')
  }

  async function importError(): Promise<string> {
    await page.waitForSelector('[data-testid=import-error]')
    return (await page.textContent('[data-testid=import-error]'))!
  }

  it('explains on an empty registry how a model gets there, and refuses bad files with the route’s reason', async () => {
    await page.click('nav[aria-label=Main] >> text=Models')
    await page.waitForURL('**/models')
    const empty = await page.innerText('main')
    expect(empty).toContain('No models yet')
    expect(empty).toContain('Register as')
    expect(empty).toContain('Import ONNX')

    await importThroughForm('iris-tiny', { name: 'notes.onnx', buffer: Buffer.from('these are my notes, not a model') })
    expect(await importError()).toContain('The file is not an ONNX model')
    await shot('models-01-import-refused')

    await importThroughForm('iris-tiny', { name: 'empty.onnx', buffer: Buffer.alloc(0) })
    await expect.poll(() => page.textContent('[data-testid=import-error]')).toContain('The file is empty (0 bytes)')

    const whole = Buffer.from(tinyClassifier())
    await importThroughForm('iris-tiny', { name: 'cut.onnx', buffer: whole.subarray(0, whole.length - 20) })
    await expect.poll(() => page.textContent('[data-testid=import-error]')).toContain('The file is truncated')

    await importThroughForm('iris-tiny', { name: 'tiny.onnx', buffer: whole }, 'setosa, versicolor')
    await expect.poll(() => page.textContent('[data-testid=import-error]')).toContain('has 3 classes, but 2 labels were given')
    expect(new URL(page.url()).pathname).toBe('/models')
    // nothing was stored by the refusals
    const list = await fetch(`${app.url}/api/v1/models`, { headers: { authorization: `Bearer ${token}` } })
    expect((await list.json()).models).toEqual([])
  })

  it('imports a model, opens its card with signature and labels, and downloads the same bytes', async () => {
    const bytes = Buffer.from(tinyClassifier({ batch: 'batch' }))
    await importThroughForm('iris-tiny', { name: 'tiny.onnx', buffer: bytes }, 'setosa, versicolor, virginica')
    await page.waitForURL('**/models/iris-tiny/versions/1')
    await page.waitForSelector('[data-testid=signature]')
    const shapes = await page.$$eval('[data-testid=signature-shape]', (cells) => cells.map((c) => c.textContent))
    expect(shapes).toEqual(['batch × 2', 'batch × 3'])
    expect(await page.textContent('[data-testid=model-labels]')).toBe('setosa, versicolor, virginica')
    expect(await page.textContent('[data-testid=model-opset]')).toBe('ai.onnx 17')
    expect(await page.textContent('[data-testid=lineage-imported]')).toContain('Imported as a file')

    const href = (await page.getAttribute('[data-testid=download-onnx]', 'href'))!
    expect(href).toBe('/api/v1/models/iris-tiny/versions/1/content')
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-onnx]')])
    expect(download.suggestedFilename()).toBe('iris-tiny-v1.onnx')
    expect(fs.readFileSync((await download.path())!).equals(bytes)).toBe(true)
    await shot('models-02-card-imported')
  })

  it('promotes a version to champion, moves it to the next version, and shows it on the list and in the audit log', async () => {
    await page.click('[data-testid=alias-move]')
    await expect.poll(() => page.textContent('[data-testid=alias-result]')).toBe('champion now points at v1.')
    await page.waitForSelector('h1 [data-testid=alias-champion]')

    await page.goto(`${app.url}/models`)
    await importThroughForm('iris-tiny', { name: 'tiny-v2.onnx', buffer: Buffer.from(tinyClassifier()) }, 'setosa,versicolor,virginica')
    await page.waitForURL('**/models/iris-tiny/versions/2')
    expect(await page.textContent('[data-testid=move-alias]')).toContain('champion points at v1 now')
    await page.click('[data-testid=alias-move]')
    await expect.poll(() => page.textContent('[data-testid=alias-result]')).toBe('champion moved from v1 to v2.')

    await page.click('nav[aria-label=Main] >> text=Models')
    await page.waitForURL('**/models')
    const row = page.locator('[data-testid=model-iris-tiny]')
    expect(await row.locator('[data-testid=alias-champion]').textContent()).toContain('v2')
    expect(await row.textContent()).toContain('classification')
    await shot('models-03-list')

    await row.locator('a', { hasText: 'iris-tiny' }).click()
    await page.waitForURL('**/models/iris-tiny')
    expect(await page.locator('[data-testid^=version-]').count()).toBe(2)
    expect(await page.textContent('[data-testid=version-2]')).toContain('champion')
    expect(await page.textContent('[data-testid=version-1]')).toContain('imported')
    await shot('models-04-versions')

    const audit = await fetch(`${app.url}/api/v1/audit?action=model.alias-move`, { headers: { authorization: `Bearer ${token}` } })
    const entries = (await audit.json()).entries as { target: string; details: Record<string, unknown>; outcome: string }[]
    expect(entries.map((e) => [e.target, e.details.from, e.details.to])).toEqual([
      ['model iris-tiny alias champion', 1, 2],
      ['model iris-tiny alias champion', null, 1],
    ])
  })

  it('shows an operator the registry without the import form or the alias move', async () => {
    const other = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    const tab = await other.newPage()
    await signIn(tab, app.url, operator)
    await tab.goto(`${app.url}/models`)
    await tab.waitForSelector('[data-testid=model-iris-tiny]')
    expect(await tab.isVisible('[data-testid=import-open]')).toBe(false)
    await tab.goto(`${app.url}/models/iris-tiny/versions/2`)
    await tab.waitForSelector('[data-testid=signature]')
    expect(await tab.isVisible('[data-testid=move-alias]')).toBe(false)
    expect(await tab.innerText('main')).toContain('Engineers and admins can point aliases')
    await other.close()
  })

  it('draws a trained version’s lineage, curve and reference profile, and compares two trained versions', async () => {
    const api = async (method: string, url: string, json?: unknown) => {
      const response = await fetch(`${app.url}${url}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: json === undefined ? undefined : JSON.stringify(json) })
      expect(response.status, `${method} ${url}`).toBeLessThan(300)
      return response.json()
    }
    const { pipelines } = await api('GET', '/api/v1/pipelines')
    const penguins = pipelines.find((p: { name: string }) => p.name === 'penguin-species')
    const runToEnd = async () => {
      const { runId } = await api('POST', `/api/v1/pipelines/${penguins.id}/runs`, {})
      await expect.poll(async () => (await api('GET', `/api/v1/runs/${runId}`)).status, { timeout: 60_000, interval: 300 }).toBe('succeeded')
      return runId as string
    }
    const firstRun = await runToEnd()
    const file = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'server/seed/penguin-species.pipeline.json'), 'utf8'))
    file.nodes.find((n: { id: string }) => n.id === 'train').config.trainer = { type: 'builtin', algorithm: 'mlp', label: 'species', epochs: 30, hiddenLayers: [16] }
    await api('PUT', `/api/v1/pipelines/${penguins.id}`, file)
    await runToEnd()

    await page.goto(`${app.url}/models/penguin-species/versions/1`)
    await page.waitForSelector('[data-testid=lineage-graph]')
    const datasets = await page.$$eval('[data-testid=lineage-dataset]', (boxes) => boxes.map((b) => b.textContent))
    expect(datasets.map((d) => d!.replace(/artifact.*/, ''))).toEqual(['training datasplit.train', 'training datasplit.validation'])
    expect(await page.getAttribute('a:has([data-testid=lineage-step])', 'href')).toBe(`/runs/${firstRun}/steps/train`)
    expect(await page.getAttribute('a:has-text("Open the pipeline penguin-species")', 'href')).toBe(`/pipelines/${penguins.id}`)
    await page.waitForSelector('[data-testid=training-curve-loss]')
    expect(await page.locator('[data-testid=profile-histogram]').count()).toBeGreaterThan(3)
    expect(await page.textContent('[data-testid=profile-sex]')).toContain('2 categories')
    await shot('models-05-card-trained')

    // the training step's page links the version it registered
    await page.click('a:has([data-testid=lineage-step])')
    await page.waitForURL(`**/runs/${firstRun}/steps/train`)
    await page.click('[data-testid=registered-as] >> text=penguin-species v1')
    await page.waitForURL('**/models/penguin-species/versions/1')

    await page.goto(`${app.url}/models/penguin-species`)
    await page.waitForSelector('[data-testid=compare-view]')
    expect(await page.inputValue('[data-testid=compare-a]')).toBe('1')
    expect(await page.inputValue('[data-testid=compare-b]')).toBe('2')
    expect(await page.textContent('[data-testid=compare-param-algorithm]')).toContain('logistic-regression')
    const valLoss = page.locator('[data-testid=compare-metric-val_loss] td').last()
    expect(await valLoss.textContent()).toMatch(/^[+−]\d|^0$/)
    expect(await page.locator('[data-testid=compare-chart] [data-metric]').count()).toBeGreaterThanOrEqual(3)
    await page.selectOption('[data-testid=compare-a]', '2')
    await page.selectOption('[data-testid=compare-b]', '1')
    await page.click('[data-testid=compare-submit]')
    await page.waitForURL('**/models/penguin-species?a=2&b=1')
    expect(await page.textContent('[data-testid=compare-param-algorithm]')).toMatch(/^algorithmmlp/)
    await shot('models-06-compare')
  })

  it('answers an address that names no model or version with the not-found page', async () => {
    for (const address of ['/models/no-such-model', '/models/iris-tiny/versions/9', '/models/iris-tiny/versions/0', '/models/Not_A_Slug']) {
      const response = await page.goto(`${app.url}${address}`)
      expect(response?.status(), address).toBe(404)
    }
  })
})
