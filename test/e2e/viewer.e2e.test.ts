import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { quoteLiteral, withDuckDB } from '@/nodes/_lib/duckdb'
import { writeImageDataset, type ImageRow } from '@/nodes/_lib/image-dataset'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser } from '../harness/browser'
import { squarePng } from '../harness/images'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Vera Viewer', email: 'vera@example.com', password: 'a million rows' }
const million = 1_000_000
const labels = ['scratch', 'dust', 'good', 'good', 'good', 'scratch', 'good', 'dust', 'good', 'good', 'scratch', 'good']

describe('looking at data in the browser', () => {
  let app: AppServer
  let browser: Browser
  let page: Page
  let token = ''
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-viewer-e2e-'))
  const steps: Record<'table' | 'images', { runId: string; pipelineId: string }> = {} as never

  async function api(method: string, url: string, body?: BodyInit, contentType = 'application/json') {
    const response = await fetch(`${app.url}${url}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body })
    expect(response.status, `${method} ${url}: ${response.status}`).toBeLessThan(300)
    return response.json()
  }
  const upload = async (filename: string, bytes: Uint8Array) => (await api('POST', `/api/v1/uploads?filename=${filename}`, bytes as BodyInit, 'application/octet-stream')).artifactId as string

  /** An ingest of one uploaded file, run to the end: what the step page then shows. */
  async function ingestAndRun(name: string, artifactId: string) {
    const file = { apiVersion: 'pipewright/v1', name, nodes: [{ id: 'load', kind: 'ingest', config: { source: { type: 'upload', artifactId } } }], edges: [] }
    const pipeline = await api('POST', '/api/v1/pipelines', JSON.stringify(file))
    const { runId } = await api('POST', `/api/v1/pipelines/${pipeline.id}/runs`)
    for (let i = 0; i < 600; i++) {
      const run = await api('GET', `/api/v1/runs/${runId}`)
      if (run.status === 'succeeded') return { runId: runId as string, pipelineId: pipeline.id as string }
      if (['failed', 'canceled'].includes(run.status)) throw new Error(`run ${run.status}: ${JSON.stringify(run.steps)}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    throw new Error('the run did not finish')
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    const setup = await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
    token = (await setup.json()).token

    const rows = path.join(scratch, 'million.parquet')
    await withDuckDB((db) =>
      db.exec(`COPY (SELECT i + 1 AS "row no", 'item ' || (i + 1) AS "name [unit]", (i % 7) * 1.5 AS "x" FROM range(${million}) t(i)) TO ${quoteLiteral(rows)} (FORMAT parquet, COMPRESSION zstd)`),
    )
    // zstd: ingest writes snappy, so its output is not byte for byte the upload (an artifact id is one kind)
    steps.table = await ingestAndRun('a-million-rows', await upload('million.parquet', fs.readFileSync(rows)))

    const images: ImageRow[] = []
    for (const [i, label] of labels.entries()) {
      const square = { x: 20 + (i % 3) * 30, y: 16 + (i % 2) * 20, size: 28 }
      const rgb: [number, number, number] = label === 'good' ? [150, 190, 150] : label === 'dust' ? [200, 200, 170] : [190, 160, 160]
      const image = await upload(`img-${i}.png`, await squarePng(160, 120, rgb, square))
      images.push({ image, width: 160, height: 120, label, boxes: label === 'good' ? [] : [{ label, x: square.x, y: square.y, w: square.size, h: square.size }] })
    }
    const imageFile = path.join(scratch, 'images.parquet')
    await writeImageDataset(path.join(scratch, 'staged.parquet'), images, { workDir: scratch })
    await withDuckDB((db) => db.exec(`COPY (FROM ${quoteLiteral(path.join(scratch, 'staged.parquet'))}) TO ${quoteLiteral(imageFile)} (FORMAT parquet, COMPRESSION zstd)`))
    steps.images = await ingestAndRun('labelled-images', await upload('images.parquet', fs.readFileSync(imageFile)))

    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const signIn = await fetch(`${app.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: owner.email, password: owner.password }) })
    const [name, value] = signIn.headers.get('set-cookie')!.split(';')[0]!.split('=') as [string, string]
    await context.addCookies([{ name, value, url: app.url }])
    page = await context.newPage()
    page.setDefaultTimeout(30_000)
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    fs.rmSync(scratch, { recursive: true, force: true })
  })

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `viewer-${name}.png`) })
  const loadedRow = (n: number) => `[data-testid=dataset-table] [data-row-number="${n}"]:not([data-loading])`

  it('scrolls a million-row dataset to its last row, and goes to any row by number', async () => {
    await page.goto(`${app.url}/runs/${steps.table.runId}/steps/load`)
    await page.waitForSelector(loadedRow(1))
    expect(await page.textContent('[data-testid=row-count]')).toBe('1,000,000')
    expect(await page.getAttribute('[data-testid=dataset-table] [data-column-name="name [unit]"]', 'data-column-name')).toBe('name [unit]')

    // the scroll bar dragged to the bottom, as a person would
    await page.$eval('[data-testid=dataset-table]', (el) => el.scrollTo({ top: el.scrollHeight }))
    const last = await page.waitForSelector(loadedRow(million))
    expect(await last.textContent()).toContain('item 1000000')
    expect(await last.isVisible()).toBe(true)
    await expect.poll(() => page.textContent('[data-testid=visible-rows]')).toMatch(/of 1,000,000/)
    await shot('01-last-row')

    await page.fill('[data-testid=go-to-row]', '500,000')
    await page.press('[data-testid=go-to-row]', 'Enter')
    expect(await (await page.waitForSelector(loadedRow(500_000))).textContent()).toContain('item 500000')
    // only the rows on screen are in the DOM
    expect((await page.$$('[data-testid=dataset-table] [data-row-number]')).length).toBeLessThan(80)
    await page.waitForSelector('[data-testid=column-stats]')
  })

  it('shows an image dataset as a grid with labels and boxes, filters it by label and opens one image', async () => {
    await page.goto(`${app.url}/runs/${steps.images.runId}/steps/load`)
    await page.waitForSelector('[data-testid=image-grid]')
    await expect.poll(async () => (await page.$$('[data-testid=image-tile]')).length).toBe(labels.length)
    // every thumbnail decoded
    await expect
      .poll(() => page.$$eval('[data-testid=image-tile] img', (imgs) => imgs.filter((img) => (img as HTMLImageElement).naturalWidth > 0).length))
      .toBe(labels.length)
    expect(await page.$$('[data-testid=image-grid] [data-testid=image-box]')).toHaveLength(labels.filter((l) => l !== 'good').length)
    expect(await page.textContent('[data-testid=label-chip][data-label=good]')).toMatch(/good\s*7/)
    await shot('02-image-grid')

    await page.click('[data-testid=label-chip][data-label=scratch]')
    await expect.poll(() => page.textContent('[data-testid=image-count]')).toMatch(/3 of 3 images shown labelled “scratch”/)
    expect(await page.$$eval('[data-testid=image-label]', (els) => els.map((el) => el.textContent?.replace(/\d+ ▢/, '').trim()))).toEqual(['scratch', 'scratch', 'scratch'])

    await page.click('[data-testid=image-tile] >> nth=1')
    const dialog = await page.waitForSelector('[data-testid=image-dialog][open]')
    expect(await page.textContent('[data-testid=image-dialog-label]')).toBe('scratch')
    await expect.poll(() => dialog.$eval('img', (img) => (img as HTMLImageElement).naturalWidth)).toBe(160)
    expect(await dialog.$$('[data-testid=image-box]')).toHaveLength(1)
    await shot('03-image-dialog')
    await page.keyboard.press('Escape')
    await page.waitForSelector('[data-testid=image-dialog]', { state: 'detached' })

    await page.click('[data-testid=view-table]')
    await page.waitForSelector('[data-testid=dataset-table] [data-row-number="1"]')
  })

  it("shows a small grid in the canvas's output preview of an image dataset", async () => {
    await page.goto(`${app.url}/pipelines/${steps.images.pipelineId}`)
    await page.waitForSelector('[data-testid=pipeline-editor][data-ready=true] .react-flow__node[data-node-id=load]')
    await page.click('.react-flow__node[data-node-id=load] [data-part=header]')
    await page.click('[data-testid=panel-tab-output]')
    await page.waitForSelector('[data-testid=panel-image-grid]')
    await expect.poll(async () => (await page.$$('[data-testid=panel-image-grid] [data-testid=image-tile]')).length).toBe(labels.length)
    expect(await page.textContent('[data-testid=panel-row-count]')).toMatch(/12 images/)
    await shot('04-canvas-preview')
  })
})
