import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser, signIn } from '../harness/browser'
import { closePanel, connect, dropNode, fitView, nodeSelector } from '../harness/canvas'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Evelyn Evaluator', email: 'evelyn@example.com', password: 'held out for testing' }
const model = 'e2e-penguins'
const node = nodeSelector
const field = (dotted: string) => `[data-testid=node-panel] [data-field="${dotted}"]`

describe('an engineer training and evaluating a classifier: split → train → evaluate → champion', () => {
  let app: AppServer
  let browser: Browser
  let page: Page
  let token = ''
  let curvePoints = 0

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    const setup = await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
    expect(setup.status).toBe(201)
    token = (await setup.json()).token
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    page.setDefaultTimeout(30_000)
    await signIn(page, app.url, owner)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `train-evaluate-${name}.png`), fullPage: true })

  it('builds ingest → split → train → evaluate on the canvas, configured in the generated forms', async () => {
    await page.click('[data-testid=new-pipeline]')
    await page.fill('[data-testid=new-pipeline-name]', 'penguin-training')
    await page.click('[data-testid=create-pipeline]')
    await page.waitForSelector('[data-testid=empty-canvas]')

    // two rows of two, so four nodes fit side by side in the canvas beside the palette
    // a new ingest starts from the penguins sample; nothing to change
    await dropNode(page, 'ingest', 0.03, 0.12)
    expect(await page.inputValue(`${field('source.type')} select`)).not.toBe('')
    await closePanel(page)

    await dropNode(page, 'split', 0.5, 0.12)
    await page.fill(`${field('stratifyBy')} input`, 'species')
    await closePanel(page)

    await dropNode(page, 'train-handoff', 0.03, 0.62)
    await page.selectOption(`${field('trainer.type')} select`, { label: 'Built in' })
    await page.selectOption(`${field('trainer.algorithm')} select`, { label: 'logistic-regression' })
    await page.fill(`${field('trainer.label')} input`, 'species')
    // small batches and no early stop: a few seconds of training, long enough to watch
    await page.fill(`${field('trainer.epochs')} input`, '100')
    await page.fill(`${field('trainer.batchSize')} input`, '32')
    await page.fill(`${field('trainer.patience')} input`, '100')
    await page.fill(`${field('registerAs')} input`, model)
    await page.locator(field('trainer.algorithm')).scrollIntoViewIfNeeded()
    await shot('01-train-settings')
    await closePanel(page)

    // no promoteTo: the person promotes by hand once they have seen the report
    await dropNode(page, 'evaluate', 0.5, 0.62)
    await closePanel(page)

    // fit it all in view, as a person tidying up would, then wire it by dragging from port to port
    await fitView(page)
    await shot('02-placed')
    await connect(page, 'ingest', 'dataset', 'split', 'dataset')
    await connect(page, 'split', 'train', 'train-handoff', 'train')
    await connect(page, 'split', 'validation', 'train-handoff', 'validation')
    await connect(page, 'train-handoff', 'model', 'evaluate', 'model')
    await connect(page, 'split', 'test', 'evaluate', 'dataset')
    await page.waitForSelector('[data-testid=problems-count]', { state: 'detached' })

    await page.fill('[data-testid=version-message]', 'Train and evaluate a penguin classifier')
    await page.click('[data-testid=save-version]')
    await expect.poll(() => page.textContent('[data-testid=save-state]')).toMatch(/Saved · v\d/)
    await shot('03-built')

    // what was built is what the person meant, as the saved file says
    const { pipelines } = await (await fetch(`${app.url}/api/v1/pipelines`, { headers: { authorization: `Bearer ${token}` } })).json()
    const saved = pipelines.find((p: { name: string }) => p.name === 'penguin-training')
    const { file } = await (await fetch(`${app.url}/api/v1/pipelines/${saved.id}`, { headers: { authorization: `Bearer ${token}` } })).json()
    const config = (id: string) => file.nodes.find((n: { id: string }) => n.id === id).config
    expect(config('split').stratifyBy).toBe('species')
    expect(config('train-handoff')).toMatchObject({ trainer: { type: 'builtin', algorithm: 'logistic-regression', label: 'species', epochs: 100, batchSize: 32, patience: 100 }, registerAs: model })
    expect(config('evaluate').promoteTo).toBeUndefined()
    expect(file.edges).toHaveLength(5)
  })

  it('runs it and watches the training curve grow on the run page', async () => {
    await page.click('[data-testid=canvas-run]')
    await page.waitForSelector(`${node('ingest')}:is([data-status=running], [data-status=succeeded])`)
    await page.click('[data-testid=open-run]')
    await page.waitForURL('**/runs/**')

    // the curve is drawn from the points the trainer reports while it trains
    const curve = '[data-testid=step-train-handoff] [data-testid=training-curve]'
    await page.waitForSelector(curve, { timeout: 120_000 })
    const seen: number[] = []
    await expect
      .poll(
        async () => {
          seen.push(Number(await page.getAttribute(curve, 'data-points')))
          return page.getAttribute('[data-testid=step-train-handoff]', 'data-status')
        },
        { timeout: 120_000, interval: 200 },
      )
      .toBe('succeeded')
    console.log(`training curve points seen on the run page: ${[...new Set(seen)].join(' → ')}`)
    curvePoints = Number(await page.getAttribute(curve, 'data-points'))
    expect(curvePoints).toBe(100)
    // it grew while the page was open, not only drawn once at the end
    expect(new Set(seen).size).toBeGreaterThanOrEqual(2)
    expect(seen.every((n, i) => i === 0 || n >= seen[i - 1]!)).toBe(true)
    await page.waitForSelector(`${curve} [data-testid=training-curve-loss]`)
    await page.waitForSelector(`${curve} [data-testid=training-curve-metric]`)

    await expect.poll(() => page.textContent('[data-testid=run-status]'), { timeout: 120_000 }).toMatch(/succeeded/)
    expect(await page.getAttribute('[data-testid=step-evaluate]', 'data-status')).toBe('succeeded')
    await shot('04-run')
  })

  it('opens the evaluation report: metrics and a confusion matrix with the held-out counts', async () => {
    await page.click('[data-testid=output-evaluate-report]')
    await page.waitForURL('**/steps/evaluate?port=report')
    await page.waitForSelector('[data-testid=evaluation-report]')
    expect(await page.textContent('[data-testid=evaluation-verdict]')).toContain(`${model} v1`)

    const accuracy = await page.textContent('[data-testid=evaluation-metrics] [data-metric=accuracy] dd')
    expect(Number(accuracy)).toBeGreaterThan(0.8)

    const cells = await page.$$eval('[data-testid=confusion-matrix] [data-cell]', (gs) => gs.map((g) => ({ cell: g.getAttribute('data-cell')!, count: Number(g.getAttribute('data-count')) })))
    // the sample is dirty on purpose ("Adeleie", "gentoo"): the model learnt those labels too, so the matrix is n × n with n ≥ 3
    const labels = [...new Set(cells.map((c) => c.cell.split('→')[0]!))]
    expect(labels).toEqual(expect.arrayContaining(['Adelie', 'Chinstrap', 'Gentoo']))
    expect(cells).toHaveLength(labels.length ** 2)
    const total = cells.reduce((sum, c) => sum + c.count, 0)
    const right = cells.filter((c) => c.cell.split('→')[0] === c.cell.split('→')[1]).reduce((sum, c) => sum + c.count, 0)
    // every held-out row is in the matrix once: the verdict's count of scored rows, 15 % of the sample's 320
    const scored = Number((await page.textContent('[data-testid=evaluation-verdict]'))!.match(/(\d+) held-out rows scored/)![1])
    expect(scored).toBe(48)
    expect(total).toBe(scored)
    expect(right / total).toBeCloseTo(Number(accuracy), 3)
    // classes the held-out rows lack get no made-up curve, and the page says why
    const inTruth = (label: string) => cells.some((c) => c.cell.startsWith(`${label}→`) && c.count > 0)
    const rocSeries = await page.$$eval('[data-testid=roc-curve] path[data-series]', (paths) => paths.map((p) => p.getAttribute('data-series')!.replace(/ \(.*\)$/, '')))
    expect(rocSeries).toEqual([...labels.filter(inTruth), 'chance'])
    for (const absent of labels.filter((l) => !inTruth(l))) expect(await page.textContent('[data-testid=curves-left-out]')).toContain(`“${absent}”`)
    // the counts are drawn in the cells, not only kept in attributes
    const drawn = await page.$$eval('[data-testid=confusion-matrix] [data-cell] text', (texts) => texts.map((t) => Number(t.textContent)))
    expect(drawn.reduce((a, b) => a + b, 0)).toBe(total)
    await shot('05-evaluation')
  })

  it('finds the version in the registry, promotes it to champion from its card, and the card says so', async () => {
    await page.click('nav[aria-label=Main] >> text=Models')
    await page.waitForURL('**/models')
    const row = page.locator(`[data-testid=model-${model}]`)
    await row.waitFor()
    await row.locator('a', { hasText: model }).click()
    await page.waitForURL(`**/models/${model}`)
    expect(await page.locator('[data-testid^=version-]').count()).toBe(1)
    expect(await page.textContent('[data-testid=version-1]')).toContain('logistic-regression')
    await page.click('[data-testid=version-1] a:has-text("v1")')
    await page.waitForURL(`**/models/${model}/versions/1`)
    await page.waitForSelector('[data-testid=signature]')
    // the card's curve is the one watched live, every epoch of it
    await page.waitForSelector('[data-testid=training-curve-loss]')
    expect(Number(await page.getAttribute('[data-testid=training-curve]', 'data-points'))).toBe(curvePoints)
    expect(await page.$('h1 [data-testid=alias-champion]')).toBeNull()
    await shot('06-card-before')

    expect(await page.inputValue('[data-testid=alias-name]')).toBe('champion')
    expect(await page.textContent('[data-testid=alias-move]')).toBe('Promote to champion')
    await page.click('[data-testid=alias-move]')
    await expect.poll(() => page.textContent('[data-testid=alias-result]')).toBe('champion now points at v1.')
    await page.waitForSelector('h1 [data-testid=alias-champion]')
    expect(await page.textContent('[data-testid=move-alias]')).toContain('champion already points at this version')
    await shot('07-card-champion')

    const version = await fetch(`${app.url}/api/v1/models/${model}/versions/1`, { headers: { authorization: `Bearer ${token}` } })
    expect(version.status).toBe(200)
    expect((await version.json()).aliases).toEqual(['champion'])
  })
})
