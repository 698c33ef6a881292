import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser, signIn } from '../harness/browser'
import { closePanel, connect, dropNode, nodeSelector } from '../harness/canvas'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'engines of analysis' }
const node = nodeSelector
const field = (dotted: string) => `[data-testid=node-panel] [data-field="${dotted}"]`

describe('an engineer preparing image data with no camera: camera → split → augment', () => {
  let app: AppServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    const setup = await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
    expect(setup.status).toBe(201)
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    page.setDefaultTimeout(30_000)
    await signIn(page, app.url, owner)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `data-prep-${name}.png`) })

  it('builds the three nodes on the canvas, the camera previewing its images as settings change', async () => {
    await page.click('[data-testid=new-pipeline]')
    await page.fill('[data-testid=new-pipeline-name]', 'inspection')
    await page.click('[data-testid=create-pipeline]')
    await page.waitForSelector('[data-testid=empty-canvas]')

    await dropNode(page, 'ingest', 0.06, 0.3)
    await page.selectOption(`${field('source.type')} select`, { label: 'Camera emulator' })
    await page.fill(`${field('source.count')} input`, '60')
    await page.fill(`${field('source.width')} input`, '96')
    await page.fill(`${field('source.height')} input`, '96')
    await page.fill(`${field('source.defectRate')} input`, '0.5')
    await expect.poll(async () => (await page.$$('[data-testid=camera-preview-image]')).length).toBe(8)
    await shot('01-camera-preview')
    await closePanel(page)

    await dropNode(page, 'split', 0.4, 0.3)
    await closePanel(page)
    await dropNode(page, 'augment', 0.74, 0.3)
    await page.selectOption(`${field('mode')} select`, { label: 'Images (flips, rotations, crops, defects)' })
    await page.click(`${field('ops')} button:has-text("Add")`)
    await closePanel(page)

    // fit the whole pipeline in view, as a person tidying up would
    await page.click('.react-flow__pane', { position: { x: 10, y: 10 } })
    await page.keyboard.press('f')
    await page.waitForTimeout(400)
    await connect(page, 'ingest', 'dataset', 'split', 'dataset')
    await connect(page, 'split', 'train', 'augment', 'dataset')
    await page.waitForSelector('[data-testid=problems-count]', { state: 'detached' })
    await shot('02-built')
  })

  it('runs it and shows the augmented images as a grid with labels and boxes', async () => {
    await page.click('[data-testid=canvas-run]')
    await page.waitForSelector(`${node('augment')}[data-status=succeeded]`, { timeout: 120_000 })
    await page.click(`${node('augment')} [data-part=header]`)
    await page.click('[data-testid=panel-tab-output]')
    await shot('03-panel-output')

    await page.click('[data-testid=open-output]')
    await page.waitForURL('**/runs/**/steps/augment')
    await page.waitForSelector('[data-testid=image-grid] [data-testid=image-tile]')
    await expect
      .poll(() => page.$$eval('[data-testid=image-tile] img', (imgs) => imgs.filter((img) => (img as HTMLImageElement).naturalWidth > 0).length))
      .toBeGreaterThan(4)
    expect((await page.$$('[data-testid=image-grid] [data-testid=image-box]')).length).toBeGreaterThan(0)
    const labels = await page.$$eval('[data-testid=label-chip]', (chips) => chips.map((chip) => chip.getAttribute('data-label')))
    expect(labels).toContain('good')
    expect(labels.some((label) => label !== 'good')).toBe(true)
    await shot('04-step-grid')
  })
})
