import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser, signIn } from '../harness/browser'
import { measurementsCsv } from '../harness/data'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine' }
const node = (id: string) => `.react-flow__node[data-node-id="${id}"]`

/** load → check → report-check, and a side branch load → side that a re-run of `check` leaves alone. */
function branchingPipeline(artifactId: string) {
  return {
    apiVersion: 'pipewright/v1',
    name: 'rerun-on-canvas',
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'upload', artifactId } } },
      { id: 'check', kind: 'validate', config: { rules: [{ column: 'temp [°C]', rule: 'between', min: -40, max: 60 }] } },
      { id: 'report-check', kind: 'validate', config: { rules: [{ column: 'status', rule: 'in_set', values: ['ok', 'warn', 'exploded'] }] } },
      { id: 'side', kind: 'validate', config: { rules: [{ column: 'Device ID', rule: 'not_null' }] } },
    ],
    edges: [
      { from: 'load.dataset', to: 'check.dataset' },
      { from: 'check.clean', to: 'report-check.dataset' },
      { from: 'load.dataset', to: 'side.dataset' },
    ],
    ui: { positions: { load: { x: 0, y: 120 }, check: { x: 340, y: 0 }, 'report-check': { x: 680, y: 0 }, side: { x: 340, y: 280 } } },
  }
}

describe('forcing one node of a finished run to run again, on the canvas', () => {
  let app: AppServer
  let browser: Browser
  let page: Page
  let token = ''
  let pipelineId = ''
  let firstRunId = ''

  const api = async (method: string, url: string, body?: string | object, contentType = 'application/json') => {
    const response = await fetch(`${app.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: await response.json() }
  }
  const runIdShown = () => page.getAttribute('[data-testid=open-run]', 'href').then((href) => href?.split('/').at(-1) ?? '')

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    const setup = await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
    expect(setup.status).toBe(201)
    token = (await setup.json()).token
    const upload = await api('POST', '/api/v1/uploads?filename=measurements.csv', measurementsCsv(80).csv, 'text/csv')
    expect(upload.status).toBe(201)
    const created = await api('POST', '/api/v1/pipelines', branchingPipeline(upload.body.artifactId))
    expect(created.status).toBe(201)
    pipelineId = created.body.id
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    page.setDefaultTimeout(30_000)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  it('runs the pipeline from the canvas', async () => {
    await signIn(page, app.url, owner)
    await page.goto(`${app.url}/pipelines/${pipelineId}`)
    await page.waitForSelector('[data-testid=pipeline-editor][data-ready=true]')
    await page.click('[data-testid=canvas-run-no-cache]')
    await page.waitForSelector('[data-testid=canvas-run-status]:text("succeeded")')
    for (const id of ['load', 'check', 'report-check', 'side']) {
      expect(await page.getAttribute(node(id), 'data-status'), id).toBe('succeeded')
      expect(await page.getAttribute(node(id), 'data-cached'), id).toBeNull()
    }
    firstRunId = await runIdShown()
  })

  it('re-runs check from its panel: check and report-check run, load and side come from the first run', async () => {
    await page.click(`${node('check')} [data-part=header]`)
    await page.waitForSelector('[data-testid=node-panel]')
    await page.screenshot({ path: path.join(shots, 'rerun-panel-before.png') })
    await page.click('[data-testid=rerun-from-here]')
    // the canvas follows the new run live
    await expect.poll(runIdShown).not.toBe(firstRunId)
    await page.waitForSelector('[data-testid=canvas-run-status]:text("succeeded")')
    const rerunId = await runIdShown()

    for (const id of ['check', 'report-check']) {
      expect(await page.getAttribute(node(id), 'data-status'), id).toBe('succeeded')
      expect(await page.getAttribute(node(id), 'data-cached'), id).toBeNull()
    }
    for (const id of ['load', 'side']) {
      expect(await page.getAttribute(node(id), 'data-cached'), id).toBe('true')
      const link = page.locator(`${node(id)} [data-testid=cached-from] a`)
      expect(await link.textContent()).toBe(firstRunId.slice(0, 8))
      expect(await link.getAttribute('href')).toBe(`/runs/${firstRunId}`)
    }
    // the panel of a cached node says where its result came from
    await page.click(`${node('load')} [data-part=header]`)
    expect(await page.textContent('[data-testid=panel-cached-from]')).toBe(firstRunId.slice(0, 8))
    await page.screenshot({ path: path.join(shots, 'rerun-panel-cached.png') })
    await page.keyboard.press('Escape')
    await page.keyboard.press('f')
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(shots, 'rerun-canvas.png') })

    const run = await api('GET', `/api/v1/runs/${rerunId}`)
    expect(run.body).toMatchObject({ rerunOf: firstRunId, rerunNodeId: 'check', status: 'succeeded' })
    // the runs table under the canvas follows, and says which run this one re-ran
    await expect.poll(() => page.textContent(`[data-testid=run-row-${rerunId}] [data-testid=run-row-rerun]`)).toBe(`re-run of ${firstRunId.slice(0, 8)} from check`)
  })

  it('shows on the run page which run each cached step came from, with a link there', async () => {
    await page.click('[data-testid=open-run]')
    await page.waitForSelector('[data-testid=rerun-of]')
    expect(await page.textContent('[data-testid=rerun-of]')).toBe(`re-run of ${firstRunId.slice(0, 8)} from check`)
    expect(await page.textContent('[data-testid=step-load] [data-testid=cached-from]')).toBe(`cached · from run ${firstRunId.slice(0, 8)}`)
    expect(await page.getAttribute('[data-testid=step-check]', 'data-cached')).toBe('false')
    await page.screenshot({ path: path.join(shots, 'rerun-run-page.png') })
    await page.click('[data-testid=step-side] [data-testid=cached-from] a')
    await page.waitForURL(`**/runs/${firstRunId}`)
  })
})
