import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { tempDir } from '../harness/backends'
import { launchBrowser } from '../harness/browser'

const run = promisify(execFile)
const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine' }

describe('a newcomer in the browser', () => {
  let app: AppServer
  let browser: Browser
  let page: Page
  let token = ''

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    page.setDefaultTimeout(30_000)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })

  it('is sent to first-run setup and becomes the owner', async () => {
    await page.goto(app.url)
    await page.waitForURL('**/setup')
    await page.fill('#name', owner.name)
    await page.fill('#email', owner.email)
    await page.fill('#password', owner.password)
    await shot('01-setup')
    await page.click('button[type=submit]')
    await page.waitForURL('**/pipelines')
    await expect.poll(() => page.textContent('[data-testid=current-user]')).toContain(owner.name)
  })

  it('runs the sample pipeline and watches its steps succeed live', async () => {
    await page.click('[data-testid=pipeline-penguin-species] a')
    await page.waitForSelector('[data-testid=pipeline-editor][data-ready=true] .react-flow__node[data-node-id=check]')
    await shot('02-pipeline')
    await page.click('[data-testid=canvas-run]')
    await page.waitForSelector('.react-flow__node[data-node-id=check][data-status=succeeded]', { timeout: 60_000 })
    await page.click('[data-testid=open-run]')
    await page.waitForURL('**/runs/**')
    await page.waitForSelector('[data-testid=step-check][data-status=succeeded]', { timeout: 60_000 })
    expect(await page.getAttribute('[data-testid=step-load]', 'data-status')).toBe('succeeded')
    // the sample goes on to train and evaluate a model: seconds more, longer on a loaded machine
    await expect.poll(() => page.textContent('[data-testid=run-status]'), { timeout: 120_000, interval: 250 }).toMatch(/succeeded/i)
    await expect.poll(() => page.textContent('[data-testid=log-panel]')).toMatch(/Attempt 1 of/)
    await shot('03-run')
  }, 180_000)

  it('opens the validate step output: quarantine count, reasons and a readable report', async () => {
    await page.click('[data-testid=output-check-quarantine]')
    const count = Number(await (await page.waitForSelector('[data-testid=quarantine-count]')).textContent())
    expect(count).toBeGreaterThan(0)
    await expect.poll(() => page.textContent('main')).toMatch(/between 20 and 80|not in|is not one of/i)
    await shot('04-quarantine')
    await page.click('[data-testid=port-tab-report]')
    const summary = await page.waitForSelector('[data-testid=report-summary]')
    expect(await summary.textContent()).toMatch(new RegExp(`${count}`))
    await shot('05-report')
    await page.click('[data-testid=port-tab-clean]')
    await page.waitForSelector('[data-testid=column-stats]')
    await shot('06-clean')
  })

  it('shows a second run without changes as fully cached', async () => {
    await page.goto(`${app.url}/pipelines`)
    await page.click('[data-testid=pipeline-penguin-species] a')
    await page.waitForSelector('[data-testid=pipeline-editor][data-ready=true] [data-testid=canvas-run]:not([disabled])')
    await page.click('[data-testid=canvas-run]')
    await page.waitForSelector('.react-flow__node[data-node-id=check][data-cached=true]')
    expect(await page.getAttribute('.react-flow__node[data-node-id=load]', 'data-cached')).toBe('true')
    await page.click('[data-testid=open-run]')
    await page.waitForURL('**/runs/**')
    await page.waitForSelector('[data-testid=step-check][data-status=succeeded]')
    expect(await page.getAttribute('[data-testid=step-load]', 'data-cached')).toBe('true')
    expect(await page.getAttribute('[data-testid=step-check]', 'data-cached')).toBe('true')
    await shot('07-cached')
  })

  it('makes an API token that the CLI runs a pipeline file with', async () => {
    await page.goto(`${app.url}/tokens`)
    await page.fill('[data-testid=token-name]', 'ci')
    await page.click('[data-testid=create-token]')
    token = (await (await page.waitForSelector('[data-testid=new-token-value]')).textContent())!.trim()
    expect(token).toMatch(/^pw_tok_/)
    await shot('08-tokens')

    const dir = tempDir('cli')
    const file = path.join(dir, 'sensors.json')
    fs.writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'pipewright/v1',
        name: 'sensors',
        nodes: [
          { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'sensor-readings' } } },
          { id: 'check', kind: 'validate', config: { rules: [{ column: 'Device ID', rule: 'not_null' }] } },
        ],
        edges: [{ from: 'load.dataset', to: 'check.dataset' }],
      }),
    )
    const env = { ...process.env, PIPEWRIGHT_URL: app.url, PIPEWRIGHT_TOKEN: token }
    const ok = await run('node', ['bin/pipewright.mjs', 'run', file, '--wait'], { env })
    expect(ok.stderr).toMatch(/Run succeeded/)

    const failing = { ...JSON.parse(fs.readFileSync(file, 'utf8')), name: 'sensors-strict' }
    failing.nodes[1].config = { mode: 'fail', rules: [{ column: 'Device ID', rule: 'not_null' }, { column: 'temp [°C]', rule: 'between', min: 1000 }] }
    fs.writeFileSync(file, JSON.stringify(failing))
    const failed = await run('node', ['bin/pipewright.mjs', 'run', file, '--wait'], { env }).catch((error) => error)
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/Run failed/)

    const listed = await fetch(`${app.url}/api/v1/pipelines`, { headers: { authorization: `Bearer ${token}` } })
    const sensors = (await listed.json()).pipelines.find((p: { name: string }) => p.name === 'sensors')
    const exported = await run('node', ['bin/pipewright.mjs', 'export', sensors.id], { env })
    expect(JSON.parse(exported.stdout).nodes[0].config.source.name).toBe('sensor-readings')
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('revokes the token in the browser, after which it is refused', async () => {
    await page.goto(`${app.url}/tokens`)
    await page.click('[data-testid=token-ci] [data-testid=revoke-token]')
    await page.click('[data-testid=token-ci] [data-testid=confirm-revoke]')
    await page.waitForSelector('[data-testid=token-ci]', { state: 'detached' })
    // the browser's own setup made no token: nothing is left that nobody has seen
    expect(await page.$$('tr[data-testid^=token-]')).toHaveLength(0)
    const refused = await fetch(`${app.url}/api/v1/pipelines`, { headers: { authorization: `Bearer ${token}` } })
    expect(refused.status).toBe(401)
  })

  it('uploads a file with a progress bar and offers it to an ingest step', async () => {
    const dir = tempDir('upload')
    const file = path.join(dir, 'readings [2024].csv')
    fs.writeFileSync(file, 'a,b\n' + Array.from({ length: 200_000 }, (_, i) => `${i},${i * 2}`).join('\n'))
    // a slow line, so the progress bar is on screen long enough to be seen
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1024 * 1024 })
    await page.goto(`${app.url}/upload`)
    await page.setInputFiles('[data-testid=upload-input]', file)
    await page.click('[data-testid=upload-start]').catch(() => {})
    const bar = await page.waitForSelector('[data-testid=upload-progress]')
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 20_000 }).toBeGreaterThan(0)
    await shot('09-upload-progress')
    const id = await (await page.waitForSelector('[data-testid=artifact-id]', { timeout: 60_000 })).textContent()
    expect(id).toMatch(/[0-9a-f]{64}/)
    expect(await page.textContent('[data-testid=ingest-config]')).toContain('"type": "upload"')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    await shot('10-upload-done')
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
