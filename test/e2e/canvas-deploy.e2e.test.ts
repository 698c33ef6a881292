// Deploying from the canvas, as the "Deploy and serve" issue tells it: an engineer builds
// camera → split → train (CNN) → evaluate, and train → deploy, with the mouse; the run creates the
// deployment, which an operator sees live on /deployments while images arrive. The engineer runs
// it again with another seed and the deploy node set to a 30% canary needing approval: the canvas
// and the run page say the step waits, the operator approves on the step page, the canary answers
// its share, and one click on the deployment page rolls it back. Last, the operator previews the
// image model in the browser on a picture the camera took, and the deployment agrees with it.
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { dropImageFile, launchBrowser, signIn } from '../harness/browser'
import { closePanel, connect, dropNode, fitView, nodeSelector } from '../harness/canvas'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const engineer = { name: 'Erin Engineer', email: 'erin@example.com', password: 'wired by hand' }
const operator = { name: 'Omar Operator', email: 'omar@example.com', password: 'approves with care', role: 'operator' }
const model = 'surface-e2e'
const deployment = 'surface-live'
const node = nodeSelector
const field = (dotted: string) => `[data-testid=node-panel] [data-field="${dotted}"]`

interface RunStep {
  nodeId: string
  status: string
  outputs: Record<string, string>
}

describe('deploying from the canvas: build, run, see it live, canary with approval, roll back, preview an image', () => {
  let app: AppServer
  let browser: Browser
  let canvas: Page
  let ops: Page
  let token = ''
  let pipelineId = ''
  let firstRunId = ''
  const pictures: { name: string; bytes: Buffer }[] = []
  const answeredBy: number[] = []
  let traffic: ReturnType<typeof setInterval> | undefined
  const auth = () => ({ authorization: `Bearer ${token}` })

  async function api<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${app.url}${route}`, { method, headers: { ...auth(), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`)
    return response.json() as Promise<T>
  }

  /** A client posting the camera's pictures to the deployment a few times a second, noting which version answered. */
  function sendTraffic(): void {
    let next = 0
    traffic = setInterval(() => {
      const form = new FormData()
      const picture = pictures[next++ % pictures.length]!
      form.append('image', new Blob([new Uint8Array(picture.bytes)], { type: 'image/png' }), picture.name)
      void fetch(`${app.url}/api/v1/deployments/${deployment}/predict`, { method: 'POST', headers: auth(), body: form })
        .then(async (response) => (response.ok ? answeredBy.push(((await response.json()) as { modelVersion: number }).modelVersion) : undefined))
        .catch(() => {})
    }, 120)
  }

  async function openNode(id: string): Promise<void> {
    await canvas.click(`${node(id)} [data-part=header]`)
    await canvas.waitForSelector(`[data-testid=node-panel][aria-label="Node ${id}"]`)
  }

  async function waitForNodeStatus(id: string, status: string, timeout = 120_000): Promise<void> {
    await expect
      .poll(
        async () => {
          const now = await canvas.getAttribute(node(id), 'data-status')
          if (now === 'failed') throw new Error(`${id} failed on the canvas: ${await canvas.textContent(node(id))}`)
          return now
        },
        { timeout, interval: 300 },
      )
      .toBe(status)
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    token = (await api<{ token: string }>('POST', '/api/v1/setup', engineer)).token
    await api('POST', '/api/v1/users', operator)
    browser = await launchBrowser()
    canvas = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    ops = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage()
    canvas.setDefaultTimeout(30_000)
    ops.setDefaultTimeout(30_000)
    await signIn(canvas, app.url, engineer)
    await signIn(ops, app.url, operator)
  })

  afterAll(async () => {
    clearInterval(traffic)
    await browser?.close()
    await app?.stop()
  })

  const shot = async (page: Page, name: string, fullPage = true) => {
    // from the top: a full-page shot of a scrolled page paints the sticky bar in its middle
    if (fullPage) await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: path.join(shots, `canvas-deploy-${name}.png`), fullPage })
  }

  it('builds camera → split → train → evaluate and train → deploy on the canvas, with the mouse', async () => {
    await canvas.click('[data-testid=new-pipeline]')
    await canvas.fill('[data-testid=new-pipeline-name]', 'surface-to-production')
    await canvas.click('[data-testid=create-pipeline]')
    await canvas.waitForSelector('[data-testid=empty-canvas]')

    // a small camera: 96 pictures of 64×64 render and train in seconds
    await dropNode(canvas, 'ingest', 0.02, 0.05)
    await canvas.selectOption(`${field('source.type')} select`, { label: 'Camera emulator' })
    await canvas.fill(`${field('source.count')} input`, '96')
    await canvas.fill(`${field('source.width')} input`, '64')
    await canvas.fill(`${field('source.height')} input`, '64')
    await canvas.fill(`${field('source.seed')} input`, '7')
    await closePanel(canvas)

    await dropNode(canvas, 'split', 0.36, 0.05)
    await canvas.fill(`${field('stratifyBy')} input`, 'label')
    await closePanel(canvas)

    await dropNode(canvas, 'train-handoff', 0.02, 0.7)
    await canvas.selectOption(`${field('trainer.type')} select`, { label: 'Built in' })
    await canvas.selectOption(`${field('trainer.algorithm')} select`, { label: 'cnn' })
    await canvas.fill(`${field('trainer.label')} input`, 'label')
    await canvas.fill(`${field('trainer.epochs')} input`, '4')
    await canvas.fill(`${field('trainer.batchSize')} input`, '16')
    await canvas.fill(`${field('registerAs')} input`, model)
    await closePanel(canvas)

    await dropNode(canvas, 'evaluate', 0.36, 0.7)
    await closePanel(canvas)

    await dropNode(canvas, 'deploy', 0.68, 0.4)
    await canvas.fill(`${field('deployment')} input`, deployment)
    // the aside says in words what this deploy will do
    await expect.poll(() => canvas.textContent('[data-testid=deploy-aside]')).toContain(`If ${deployment} does not exist yet, a run creates it`)
    expect(await canvas.textContent('[data-testid=deploy-aside]')).toContain(`POST /api/v1/deployments/${deployment}/predict`)
    await canvas.locator('[data-testid=deploy-aside]').scrollIntoViewIfNeeded()
    await shot(canvas, '01-deploy-settings', false)
    await closePanel(canvas)

    await fitView(canvas)
    await connect(canvas, 'ingest', 'dataset', 'split', 'dataset')
    await connect(canvas, 'split', 'train', 'train-handoff', 'train')
    await connect(canvas, 'split', 'validation', 'train-handoff', 'validation')
    await connect(canvas, 'train-handoff', 'model', 'evaluate', 'model')
    await connect(canvas, 'split', 'test', 'evaluate', 'dataset')
    await connect(canvas, 'train-handoff', 'model', 'deploy', 'model')
    await canvas.waitForSelector('[data-testid=problems-count]', { state: 'detached' })
    // tidy up, as a person would before saving
    const placed = await canvas.$eval(node('deploy'), (el) => (el as HTMLElement).style.transform)
    await canvas.click('[data-testid=auto-layout]')
    // the layout is computed off the main thread: fit once the nodes have moved
    await expect.poll(() => canvas.$eval(node('deploy'), (el) => (el as HTMLElement).style.transform)).not.toBe(placed)
    await fitView(canvas)

    await canvas.fill('[data-testid=version-message]', 'Serve the surface inspector')
    await canvas.click('[data-testid=save-version]')
    await expect.poll(() => canvas.textContent('[data-testid=save-state]')).toMatch(/Saved · v\d/)
    await shot(canvas, '02-built', false)

    const { pipelines } = await api<{ pipelines: { id: string; name: string }[] }>('GET', '/api/v1/pipelines')
    pipelineId = pipelines.find((p) => p.name === 'surface-to-production')!.id
    const { file } = await api<{ file: { nodes: { id: string; kind: string; config: Record<string, unknown> }[]; edges: unknown[] } }>('GET', `/api/v1/pipelines/${pipelineId}`)
    expect(file.nodes.find((n) => n.id === 'deploy')!.config).toEqual({ target: 'server', deployment, strategy: 'single', approval: false, approvalTimeoutHours: 72 })
    expect(file.edges).toHaveLength(6)
  })

  it('runs it from the canvas and the run creates the deployment', async () => {
    const started = performance.now()
    await canvas.click('[data-testid=canvas-run]')
    await waitForNodeStatus('deploy', 'succeeded')
    console.info(`first run, camera to deployment: ${((performance.now() - started) / 1000).toFixed(1)} s`)
    await expect.poll(() => canvas.textContent('[data-testid=canvas-run-status]'), { timeout: 60_000 }).toMatch(/succeeded/i)
    for (const id of ['ingest', 'split', 'train-handoff', 'evaluate']) expect(await canvas.getAttribute(node(id), 'data-status')).toBe('succeeded')
    await shot(canvas, '03-first-run', false)

    firstRunId = (await canvas.getAttribute('[data-testid=open-run]', 'href'))!.split('/').pop()!
    const run = await api<{ steps: RunStep[] }>('GET', `/api/v1/runs/${firstRunId}`)
    const served = await api<{ model: string; versions: unknown[] }>('GET', `/api/v1/deployments/${deployment}`)
    expect(served).toMatchObject({ model, versions: [{ version: 1, role: 'stable', weight: 100 }] })

    // the pictures the camera took are what a client sends
    const images = run.steps.find((s) => s.nodeId === 'ingest')!.outputs.dataset!
    const { rows } = await api<{ rows: { image: string; label: string }[] }>('GET', `/api/v1/artifacts/${images}/rows?offset=0&limit=8`)
    for (const [i, row] of rows.entries()) {
      const blob = await fetch(`${app.url}/api/v1/blobs/${row.image}`, { headers: auth() })
      expect(blob.headers.get('content-type')).toBe('image/png')
      pictures.push({ name: `camera-${i}-${row.label}.png`, bytes: Buffer.from(await blob.arrayBuffer()) })
    }
  })

  it('shows the deployment live on /deployments and on its page while pictures arrive', async () => {
    sendTraffic()
    await ops.click('nav[aria-label=Main] >> text=Deployments')
    await ops.waitForURL('**/deployments')
    const row = ops.locator(`[data-testid=deployment-${deployment}]`)
    await expect.poll(async () => Number(await row.locator('[data-testid=health-requests-value]').textContent()), { timeout: 30_000 }).toBeGreaterThan(1)
    await expect.poll(() => row.locator('[data-testid=health-p95-value]').textContent(), { timeout: 10_000 }).toMatch(/ms$/)
    expect(await row.locator('[data-testid=health-errors-value]').textContent()).toBe('0%')
    expect(await row.textContent()).toContain('stable 100%')
    await shot(ops, '04-list-live')

    await row.locator(`text=${deployment}`).first().click()
    await ops.waitForURL(`**/deployments/${deployment}`)
    expect(await ops.getAttribute('[data-testid=served-stable]', 'data-version')).toBe('1')
    await expect.poll(async () => Number(await ops.textContent('[data-testid=health-requests-value]')), { timeout: 30_000 }).toBeGreaterThan(1)
    expect(await ops.textContent('[data-testid=rollout-history]')).toContain(`created, serving v1 of ${model}`)
    // the change the first run made links to that run
    expect(await ops.getAttribute(`[data-testid=rollout-history] a:has-text("run ${firstRunId.slice(0, 8)}")`, 'href')).toBe(`/runs/${firstRunId}`)
    await shot(ops, '05-deployment-live')
  })

  it('runs again with another seed and a 30% canary that needs approval: the canvas and the run page say it waits', async () => {
    await openNode('train-handoff')
    await canvas.fill(`${field('seed')} input`, '8')
    await closePanel(canvas)

    await openNode('deploy')
    await canvas.selectOption(`${field('strategy')} select`, { label: 'canary' })
    await canvas.fill(`${field('weight')} input`, '30')
    await canvas.check(`${field('approval')} input[type=checkbox]`)
    await expect.poll(() => canvas.textContent('[data-testid=deploy-aside]')).toContain('(30% of requests)')
    expect(await canvas.textContent('[data-testid=deploy-aside]')).toContain('waits on its page until an operator approves')
    await shot(canvas, '06-canary-settings', false)
    await closePanel(canvas)

    await canvas.click('[data-testid=canvas-run]')
    await waitForNodeStatus('deploy', 'waiting')
    await expect.poll(() => canvas.textContent('[data-testid=canvas-run-status]')).toMatch(/waiting/i)
    // what ran again and what came from the cache
    expect(await canvas.getAttribute(node('ingest'), 'data-status')).toBe('succeeded')
    expect(await canvas.textContent(node('ingest'))).toContain('cached')
    expect(await canvas.textContent(node('train-handoff'))).not.toContain('cached')
    // the waiting node says what it waits for and links to where it is decided
    const runHref = (await canvas.getAttribute('[data-testid=open-run]', 'href'))!
    const waiting = canvas.locator(`${node('deploy')} [data-testid=waiting-for]`)
    expect(await waiting.textContent()).toBe('for approval · approve or reject')
    expect(await waiting.locator('a').getAttribute('href')).toBe(`${runHref}/steps/deploy`)
    await fitView(canvas)
    await shot(canvas, '07-canvas-waiting', false)

    // the deployment has not changed while the step waits
    expect((await api<{ versions: unknown[] }>('GET', `/api/v1/deployments/${deployment}`)).versions).toEqual([{ version: 1, role: 'stable', weight: 100 }])

    await ops.goto(`${app.url}${runHref}`)
    await ops.waitForSelector('[data-testid=step-deploy][data-status=waiting]')
    expect(await ops.textContent('[data-testid=run-status]')).toMatch(/waiting/i)
    expect(await ops.textContent('[data-testid=step-deploy] [data-testid=waiting-for]')).toBe('waiting for approval: open the step to see the change and approve or reject it')
    await shot(ops, '08-run-waiting')
  })

  it('the operator approves on the step page; the canary rolls out and answers its share', async () => {
    await ops.click('[data-testid=step-deploy] a:has-text("deploy")')
    await ops.waitForSelector('[data-testid=waiting-approval]')
    expect(await ops.textContent('[data-testid=waiting-approval]')).toContain(`Deploy model "${model}" version 2 to "${deployment}" as a 30% canary`)
    // read against what answers today
    expect(await ops.textContent('[data-testid=serving-now]')).toBe(`Serving now: ${deployment} answers with v1 stable 100% of ${model}.`)
    await shot(ops, '09-step-approval')

    await ops.click('[data-testid=approval-decision] button:has-text("Approve")')
    await ops.waitForSelector('[data-testid=waiting-approval]', { state: 'detached' })
    // the engineer's canvas follows without a reload
    await waitForNodeStatus('deploy', 'succeeded', 30_000)
    await expect.poll(() => canvas.textContent('[data-testid=canvas-run-status]')).toMatch(/succeeded/i)
    // the step's output says what changed and leads to the deployment
    expect(await ops.textContent('[data-testid=deployment-summary]')).toContain(`Rolled v2 of ${model} out to ${deployment} as a 30% canary beside the stable version.By ${operator.email}.`)
    await shot(ops, '10-step-approved')

    await ops.click('[data-testid=open-deployment]')
    await ops.waitForURL(`**/deployments/${deployment}`)
    await expect.poll(() => ops.getAttribute('[data-testid=served-canary]', 'data-weight')).toBe('30')
    expect(await ops.getAttribute('[data-testid=served-canary]', 'data-version')).toBe('2')
    expect(await ops.getAttribute('[data-testid=served-stable]', 'data-weight')).toBe('70')
    expect(await ops.textContent('[data-testid=rollout-history]')).toContain('rolled out v2 as a 30% canary beside v1')
    expect(await ops.textContent('[data-testid=rollout-history]')).toContain(operator.email)

    // the pictures now meet both versions, the canary about a third of them
    const from = answeredBy.length
    await expect.poll(() => answeredBy.slice(from).filter((v) => v === 2).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3)
    expect(answeredBy.slice(from).filter((v) => v === 1).length).toBeGreaterThan(0)
    await shot(ops, '11-canary')
  })

  it('rolls the canary back with one click, and version 1 answers everything again', async () => {
    expect(await ops.textContent('[data-testid=rollback]')).toBe('Roll back to v1 only')
    await ops.click('[data-testid=rollback]')
    await expect.poll(() => ops.locator('[data-testid=served-canary]').count()).toBe(0)
    expect(await ops.getAttribute('[data-testid=served-stable]', 'data-weight')).toBe('100')
    expect(await ops.textContent('[data-testid=rollout-result]')).toContain('v2 withdrawn, v1 answers everything')

    const from = answeredBy.length
    await expect.poll(() => answeredBy.length - from, { timeout: 30_000 }).toBeGreaterThanOrEqual(10)
    expect(new Set(answeredBy.slice(from + 2))).toEqual(new Set([1]))
    await shot(ops, '12-rolled-back')
  })

  it('previews the image model in the browser on a camera picture, and the deployment agrees', async () => {
    await ops.click('[data-testid=deployment-preview-link]')
    await ops.waitForURL(`**/models/${model}/versions/1/preview?deployment=${deployment}`)
    await ops.waitForSelector('[data-testid=preview-ready]')
    // a defective surface when the camera took one: what an inspector would try first
    const picture = pictures.find((p) => !p.name.endsWith('-good.png')) ?? pictures[0]!
    await dropImageFile(ops, '[data-testid=preview-drop]', picture.bytes, picture.name)
    await ops.waitForSelector('[data-testid=preview-result]')
    expect(await ops.textContent('[data-testid=preview-image-source]')).toBe(`${picture.name}, 64×64`)
    const label = await ops.textContent('[data-testid=preview-label]')
    expect(['good', 'scratch', 'dust', 'smudge', 'dent']).toContain(label)

    await ops.click('[data-testid=preview-compare-run]')
    // the deployment serves version 1 (rolled back): the same file, the same numbers
    const agreed = await ops.waitForSelector('[data-testid=preview-compare-result]')
    expect(await agreed.textContent()).toContain('the same label; the deployment serves version 1')
    expect(Number(await ops.textContent('[data-testid=preview-compare-largest]'))).toBeLessThanOrEqual(1e-5)
    await shot(ops, '13-preview')
  })
})
