// Deploying and serving, as an operator meets it in Chromium: a penguin model trained in the app
// (two versions), deployed from its version page, watched live on /deployments while requests
// arrive, a canary rolled out and rolled back with one click, the fail-safe refused with the
// server's reason, and the stable version previewed in the browser against the deployment.
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser, signIn } from '../harness/browser'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Dana Deployer', email: 'dana@example.com', password: 'ship it carefully' }
const operator = { name: 'Oscar Operator', email: 'oscar@example.com', password: 'watching the graphs', role: 'operator' }

function penguinPipeline(name: string, seed: number, epochs: number) {
  return {
    apiVersion: 'pipewright/v1',
    name,
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } },
      {
        id: 'train',
        kind: 'train-handoff',
        config: {
          trainer: { type: 'builtin', algorithm: 'logistic-regression', label: 'species', features: ['island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex'], epochs },
          registerAs: 'penguins',
          seed,
        },
      },
    ],
    edges: [{ from: 'load.dataset', to: 'train.train' }],
  }
}

const penguin = { island: 'Biscoe', bill_length_mm: 47.5, bill_depth_mm: 15, flipper_length_mm: 217, body_mass_g: 5200, sex: 'male' }

describe('deployments in the browser', () => {
  let app: AppServer
  let browser: Browser
  let page: Page
  let token = ''
  let traffic: ReturnType<typeof setInterval> | undefined
  const auth = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' })

  async function api<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${app.url}${route}`, { method, headers: auth(), body: body === undefined ? undefined : JSON.stringify(body) })
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`)
    return response.json() as Promise<T>
  }

  async function train(name: string, seed: number, epochs: number): Promise<void> {
    const pipeline = await api<{ id: string }>('POST', '/api/v1/pipelines', penguinPipeline(name, seed, epochs))
    const started = await api<{ runId?: string; id?: string }>('POST', `/api/v1/pipelines/${pipeline.id}/runs`, {})
    const runId = started.runId ?? started.id
    // polled by hand: expect.poll belongs to tests, and this runs in beforeAll
    const deadline = Date.now() + 180_000
    for (;;) {
      const { status } = await api<{ status: string }>('GET', `/api/v1/runs/${runId}`)
      if (status === 'succeeded') return
      if (status === 'failed' || status === 'canceled' || Date.now() > deadline) throw new Error(`training run ${runId} ended ${status}`)
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }

  /** A few requests a second, as a client calling the deployment would send them. */
  function sendTraffic(name: string): void {
    traffic = setInterval(() => {
      void fetch(`${app.url}/api/v1/deployments/${name}/predict`, { method: 'POST', headers: auth(), body: JSON.stringify({ records: [penguin, { ...penguin, island: 'Dream', bill_length_mm: 39 }] }) }).catch(() => {})
    }, 150)
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    token = (await api<{ token: string }>('POST', '/api/v1/setup', owner)).token
    await api('POST', '/api/v1/users', operator)
    await train('penguins-first', 1, 40)
    await train('penguins-second', 2, 15)
    const { versions } = await api<{ versions: { version: number }[] }>('GET', '/api/v1/models/penguins')
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2])
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage()
    page.setDefaultTimeout(60_000)
    await signIn(page, app.url, operator)
  }, 400_000)

  afterAll(async () => {
    clearInterval(traffic)
    await browser?.close()
    await app?.stop()
  })

  const shot = async (name: string) => {
    // from the top: a full-page shot of a scrolled page paints the sticky bar in its middle
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })
  }

  it('says on an empty list how something gets deployed', async () => {
    await page.click('nav[aria-label=Main] >> text=Deployments')
    await page.waitForURL('**/deployments')
    const text = await page.innerText('main')
    expect(text).toContain('Nothing is deployed yet')
    expect(text).toContain('Deploy')
    await shot('deployments-01-empty')
  })

  it('deploys a version from its model page and lands on the deployment with its endpoints', async () => {
    await page.goto(`${app.url}/models/penguins/versions/1`)
    await page.fill('[data-testid=deploy-name]', 'Penguins Live')
    await page.click('[data-testid=deploy-submit]')
    await expect.poll(() => page.textContent('[data-testid=deploy-error]')).toMatch(/deployment name/i)

    await page.fill('[data-testid=deploy-name]', 'penguins-live')
    await page.click('[data-testid=deploy-submit]')
    await page.waitForURL('**/deployments/penguins-live')
    expect(await page.getAttribute('[data-testid=served-stable]', 'data-version')).toBe('1')
    expect(await page.getAttribute('[data-testid=served-stable]', 'data-weight')).toBe('100')
    expect(await page.textContent('[data-testid=endpoint-v2]')).toContain(`${app.url}/v2/models/penguins-live/infer`)
    expect(await page.textContent('[data-testid=endpoint-records]')).toContain(`${app.url}/api/v1/deployments/penguins-live/predict`)
    expect(await page.textContent('[data-testid=curl-example]')).toContain('"island":')
    expect(await page.textContent('[data-testid=rollout-history]')).toContain(`created, serving v1 of penguins`)
    expect(await page.textContent('[data-testid=rollout-history]')).toContain(operator.email)
  })

  it('shows live numbers on /deployments once requests arrive', async () => {
    sendTraffic('penguins-live')
    await page.click('nav[aria-label=Main] >> text=Deployments')
    await page.waitForURL('**/deployments')
    const row = page.locator('[data-testid=deployment-penguins-live]')
    await expect.poll(async () => Number(await row.locator('[data-testid=health-requests-value]').textContent()), { timeout: 30_000 }).toBeGreaterThan(1)
    await expect.poll(async () => await row.locator('[data-testid=health-p95-value]').textContent(), { timeout: 10_000 }).toMatch(/ms$/)
    expect(await row.locator('[data-testid=health-errors-value]').textContent()).toBe('0%')
    expect(await row.locator('[data-testid=health-requests] svg path').count()).toBe(1)
    expect(await row.textContent()).toContain('stable 100%')
    await shot('deployments-02-list-live')
  })

  it('rolls out a canary from the deployment page, and rolls it back with one click', async () => {
    await page.click('[data-testid=deployment-penguins-live] >> text=penguins-live')
    await page.waitForURL('**/deployments/penguins-live')
    await page.selectOption('[data-testid=rollout-version]', '2')
    await page.selectOption('[data-testid=rollout-strategy]', 'canary')
    await page.fill('[data-testid=rollout-weight]', '25')
    await page.click('[data-testid=rollout-submit]')
    await expect.poll(() => page.getAttribute('[data-testid=served-canary]', 'data-weight')).toBe('25')
    expect(await page.getAttribute('[data-testid=served-stable]', 'data-weight')).toBe('75')
    expect(await page.textContent('[data-testid=rollout-history]')).toContain('rolled out v2 as a 25% canary beside v1')
    await expect.poll(async () => Number(await page.textContent('[data-testid=health-requests-value]')), { timeout: 30_000 }).toBeGreaterThan(1)
    // each version's own numbers beside the split: the canary's requests and p95 beside the stable one's
    const canaryRow = page.locator('[data-testid=version-health-row][data-version="2"]')
    await expect.poll(async () => Number(await canaryRow.locator('[data-testid=version-health-requests-value]').textContent().catch(() => '0')), { timeout: 30_000 }).toBeGreaterThan(0)
    expect(await canaryRow.locator('[data-testid=version-health-p95-value]').textContent()).toMatch(/ms$/)
    expect(await page.locator('[data-testid=version-health-row][data-version="1"] [data-testid=version-health-errors-value]').textContent()).toBe('0%')
    const served = await api<{ versions: { version: number; role: string; weight: number }[] }>('GET', '/api/v1/deployments/penguins-live')
    expect(served.versions).toEqual([{ version: 1, role: 'stable', weight: 75 }, { version: 2, role: 'canary', weight: 25 }])
    await shot('deployments-03-canary')

    await page.fill('[data-testid=canary-weight]', '40')
    await page.click('[data-testid=weight-submit]')
    await expect.poll(() => page.getAttribute('[data-testid=served-canary]', 'data-weight')).toBe('40')

    expect(await page.textContent('[data-testid=rollback]')).toBe('Roll back to v1 only')
    await page.click('[data-testid=rollback]')
    await expect.poll(() => page.locator('[data-testid=served-canary]').count()).toBe(0)
    expect(await page.getAttribute('[data-testid=served-stable]', 'data-weight')).toBe('100')
    expect(await page.textContent('[data-testid=rollout-result]')).toContain('v2 withdrawn, v1 answers everything')
    expect(await page.locator('[data-testid=history-row]').first().getAttribute('data-action')).toBe('rollback')
    expect((await api<{ versions: unknown[] }>('GET', '/api/v1/deployments/penguins-live')).versions).toEqual([{ version: 1, role: 'stable', weight: 100 }])
  })

  it('refuses a fail-safe that does not fit the model with the server’s reason, and saves one that does', async () => {
    await page.check('[data-testid=failsafe-enabled]')
    await page.fill('[data-testid=failsafe-min-confidence]', '0.6')
    await page.selectOption('[data-testid=failsafe-action]', 'value')
    await page.fill('[data-testid=failsafe-value]', '3')
    await page.click('[data-testid=settings-save]')
    await expect.poll(() => page.textContent('[data-testid=settings-result]')).toMatch(/^failsafe: action\.value: the model predicts a class \(classification\), so the fallback answer must be a label/)
    await shot('deployments-04-failsafe-refused')

    await page.selectOption('[data-testid=failsafe-action]', 'label')
    await page.fill('[data-testid=failsafe-label]', 'Adelie')
    await page.click('[data-testid=settings-save]')
    await expect.poll(() => page.textContent('[data-testid=settings-result]')).toContain('Saved')
    const saved = await api<{ failsafe: { minConfidence: number; action: unknown } }>('GET', '/api/v1/deployments/penguins-live')
    expect(saved.failsafe).toMatchObject({ minConfidence: 0.6, action: { type: 'label', label: 'Adelie' } })
    await expect.poll(() => page.textContent('[data-testid=rollout-history]')).toContain('fail-safe set')
    await shot('deployments-05-page')
  })

  it('opens the stable version’s preview in the browser against the deployment', async () => {
    await page.click('[data-testid=deployment-preview-link]')
    await page.waitForURL('**/models/penguins/versions/1/preview?deployment=penguins-live')
    await page.waitForSelector('[data-testid=preview-ready]')
    // the link loads the preview as a new document, so it is cross-origin isolated (wasm threads)
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true)
    await page.click('[data-testid=preview-run]')
    await page.waitForSelector('[data-testid=preview-result]')
    expect(await page.innerText('main')).toContain('penguins-live')
    // the server is asked from the isolated page (a same-origin fetch) and agrees with the browser
    await page.click('[data-testid=preview-compare-run]')
    expect(Number(await (await page.waitForSelector('[data-testid=preview-compare-largest]')).textContent())).toBeLessThanOrEqual(1e-5)
    await shot('deployments-06-preview')
  })
})
