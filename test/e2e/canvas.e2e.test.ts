import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { tempDir } from '../harness/backends'
import { launchBrowser, signIn } from '../harness/browser'
import { closePanel as closeSettings, dragEdge, dropNode, nodeSelector } from '../harness/canvas'
import { allowLocalSources, serveCsv } from '../harness/http-source'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compile the world' }
const node = nodeSelector

describe('an engineer building a pipeline on the canvas', () => {
  let app: AppServer
  let browser: Browser
  let page: Page
  let token = ''

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer(allowLocalSources) // the slow-download test reads from a local server
    const setup = await fetch(`${app.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(owner),
    })
    expect(setup.status).toBe(201)
    token = (await setup.json()).token
    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
    page = await context.newPage()
    page.setDefaultTimeout(30_000)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `canvas-${name}.png`) })
  const field = (dotted: string) => `[data-field="${dotted}"]`

  async function dropAndClose(kind: string, x: number, y: number) {
    await dropNode(page, kind, x, y)
    await closeSettings(page)
  }

  /** Closes the settings panel and fits the whole pipeline in view again, as a person tidying up would. */
  async function closePanel() {
    if (await page.$('[data-testid=node-panel]')) await page.click('[aria-label="Close panel"]')
    await page.keyboard.press('f')
    await page.waitForTimeout(400)
  }

  it('signs in and starts an empty pipeline', async () => {
    await signIn(page, app.url, owner)
    await page.click('[data-testid=new-pipeline]')
    await page.fill('[data-testid=new-pipeline-name]', 'Not Valid!')
    await page.click('[data-testid=create-pipeline]')
    await expect.poll(() => page.textContent('#new-pipeline-help')).toMatch(/lower-case/i)
    await page.fill('[data-testid=new-pipeline-name]', 'canvas-demo')
    await page.click('[data-testid=create-pipeline]')
    await page.waitForSelector('[data-testid=empty-canvas]')
    await shot('01-empty')
  })

  it('finds validate by an alias and builds ingest → validate by drag and drop', async () => {
    await page.fill('[data-testid=palette-search]', 'check')
    const first = await page.locator('[data-testid^=palette-item-]').first().getAttribute('data-testid')
    expect(first).toBe('palette-item-validate')
    await page.fill('[data-testid=palette-search]', '')

    // all left of where the settings panel opens, so opening it never has to pan the canvas
    await dropAndClose('ingest', 0.08, 0.3)
    await page.waitForSelector(node('ingest'))
    await dropAndClose('validate', 0.35, 0.3)
    await page.waitForSelector(node('validate'))
    await dropAndClose('validate', 0.2, 0.65)
    await page.waitForSelector(node('validate-2'))
    expect(await page.$('[data-testid=empty-canvas]')).toBeNull()

    await dragEdge(page, 'ingest', 'dataset', 'validate', 'dataset')
    // a straight edge has no height, so Playwright calls it hidden: it is in the page all the same
    await page.waitForSelector('.react-flow__edge[data-id="ingest.dataset->validate.dataset"]', { state: 'attached' })
  })

  it('refuses a wrong connection and says why', async () => {
    await dragEdge(page, 'validate', 'report', 'validate-2', 'dataset')
    const toast = await page.waitForSelector('[data-testid=canvas-toast]')
    expect(await toast.textContent()).toMatch(/validate\.report \(report\).*validate-2\.dataset \(dataset\)/)
    expect(await page.$$('.react-flow__edge')).toHaveLength(1)
    await shot('02-refused')
  })

  it('shows a config that fails its schema on the node, names the field and will not run', async () => {
    await page.click(`${node('validate')} [data-part=header]`)
    await page.waitForSelector('[data-testid=node-panel]')
    await page.click(`${field('rules')} button:has-text("Add rule")`)
    await page.selectOption(`${field('rules.0.rule')} select`, { label: 'Within a range' })
    await page.fill(`${field('rules.0.column')} input`, 'bill_length_mm')
    // a range with neither end is refused by the schema: the run is blocked, saving is not
    await page.waitForSelector('[data-testid=problems-count]')
    const run = page.locator('[data-testid=canvas-run]')
    expect(await run.isDisabled()).toBe(true)
    expect(await run.getAttribute('title')).toMatch(/rules\.0\.min/)
    expect(await page.textContent(`${field('rules.0.min')}`)).toMatch(/give min, max or both/)
    await shot('03-invalid')
    await page.fill(`${field('rules.0.min')} input`, '20')
    await page.fill(`${field('rules.0.max')} input`, '80')
    await page.waitForSelector(`${node('validate')} [aria-label$=problems]`, { state: 'detached' })
    // what is left is the spare node's unconnected input
    expect(await page.textContent('[data-testid=problems-count]')).toMatch(/1 problem/)
  })

  it('deletes the spare node, saves a version and runs it: both nodes succeed on the canvas', async () => {
    await page.click(`${node('validate-2')} [data-part=header]`)
    await page.click('[data-testid=node-panel] [aria-label="Delete node"]')
    await page.waitForSelector(node('validate-2'), { state: 'detached' })
    await page.waitForSelector('[data-testid=problems-count]', { state: 'detached' })
    await page.fill('[data-testid=version-message]', 'Ingest and check penguins')
    await page.click('[data-testid=save-version]')
    await expect.poll(() => page.textContent('[data-testid=save-state]')).toMatch(/Saved · v2/)

    await page.click('[data-testid=canvas-run]')
    await page.waitForSelector(`${node('validate')}[data-status=succeeded]`, { timeout: 60_000 })
    expect(await page.getAttribute(node('ingest'), 'data-status')).toBe('succeeded')
    await shot('04-succeeded')

    await page.click(`${node('validate')} [data-part=header]`)
    await page.click('[data-testid=panel-tab-output]')
    expect(await (await page.waitForSelector('[data-testid=panel-row-count]')).textContent()).toMatch(/rows/)
    await page.click('[data-testid=panel-tab-logs]')
    await page.waitForSelector('[data-testid=panel-logs] li')
    await shot('05-output')
    // now that ingest has run, its columns are offered where a rule names a column
    await page.click('[data-testid=panel-tab-settings]')
    await expect
      .poll(() => page.$$eval(`${field('rules.0.column')} datalist option`, (options) => options.map((o) => (o as HTMLOptionElement).value)))
      .toContain('bill_length_mm')
  })

  it('undoes and redoes several edits: a move, a note and a deletion', async () => {
    await closePanel()
    const position = () => page.$eval(node('ingest'), (el) => (el as HTMLElement).style.transform)
    const before = await position()
    const box = (await page.locator(`${node('ingest')} [data-part=header]`).boundingBox())!
    await page.mouse.move(box.x + 5, box.y + 5)
    await page.mouse.down()
    await page.mouse.move(box.x + 80, box.y + 120, { steps: 10 })
    await page.mouse.up()
    const moved = await position()
    expect(moved).not.toBe(before)

    await page.click('[data-testid=add-note]')
    await page.waitForSelector('[data-testid^=note-]')
    await page.click(`${node('validate')} [data-part=header]`)
    await page.keyboard.press('Delete')
    await page.waitForSelector(node('validate'), { state: 'detached' })

    await page.click('[data-testid=undo]')
    await page.waitForSelector(node('validate'))
    await page.keyboard.press('Control+z')
    await page.waitForSelector('[data-testid^=note-]', { state: 'detached' })
    await page.keyboard.press('Control+z')
    await expect.poll(position).toBe(before)
    await page.keyboard.press('Control+Shift+z')
    await expect.poll(position).toBe(moved)
    await page.click('[data-testid=redo]')
    await page.waitForSelector('[data-testid^=note-]')
    await page.keyboard.press('Control+z')
    await page.waitForSelector('[data-testid^=note-]', { state: 'detached' })
    await page.keyboard.press('Control+z')
    await expect.poll(position).toBe(before)
  })

  it('exports the file, refuses a file that is not a pipeline, and imports the export', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export]')])
    const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'))
    expect(exported.apiVersion).toBe('pipewright/v1')
    expect(exported.nodes.map((n: { id: string }) => n.id)).toEqual(['ingest', 'validate'])
    expect(exported.edges).toEqual([{ from: 'ingest.dataset', to: 'validate.dataset' }])

    const dir = tempDir('import')
    const bad = path.join(dir, 'not-a-pipeline.json')
    fs.writeFileSync(bad, JSON.stringify({ hello: 'world', nodes: 'many' }))
    await page.click('[data-testid=import]')
    await page.setInputFiles('[data-testid=import-file]', bad)
    const problems = await page.waitForSelector('[data-testid=import-problems]')
    expect(await problems.textContent()).toMatch(/apiVersion/)
    expect(await page.$$('.react-flow__node[data-node-id]')).toHaveLength(2)

    const edited = { ...exported, nodes: [exported.nodes[0]], edges: [] }
    const good = path.join(dir, 'edited.json')
    fs.writeFileSync(good, JSON.stringify(edited))
    await page.setInputFiles('[data-testid=import-file]', good)
    await page.waitForSelector('[data-testid=import-dialog]', { state: 'hidden' })
    await page.waitForSelector(node('validate'), { state: 'detached' })
    await page.keyboard.press('Control+z')
    await page.waitForSelector(node('validate'))
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('diffs two versions on the canvas and restores the older one', async () => {
    await page.click(`${node('validate')} [data-part=header]`)
    await page.fill(`${field('rules.0.max')} input`, '60')
    await page.fill('[data-testid=version-message]', 'Tighter bills')
    await page.click('[data-testid=save-version]')
    await expect.poll(() => page.textContent('[data-testid=save-state]')).toMatch(/Saved · v3/)

    await page.click('[data-testid=history]')
    await page.waitForSelector('[data-testid=version-3]')
    await page.selectOption('[data-testid=diff-from]', '2')
    await page.selectOption('[data-testid=diff-to]', '3')
    await page.click('[data-testid=diff-show]')
    const summary = await page.waitForSelector('[data-testid=diff-summary]')
    expect(await summary.textContent()).toMatch(/rules\.0\.max.*80.*60/)
    expect(await page.getAttribute(node('validate'), 'data-diff')).toBe('changed')
    await shot('06-diff')

    await page.click('[data-testid=restore-2]')
    await expect.poll(() => page.textContent('[data-testid=save-state]')).toMatch(/Saved · v4/)
    await page.click('[data-testid=history]')
    await page.click(`${node('validate')} [data-part=header]`)
    expect(await page.inputValue(`${field('rules.0.max')} input`)).toBe('80')
    await shot('07-restored')
  })

  it('keeps unsaved edits as a draft that survives closing the tab', async () => {
    await page.fill(`${field('rules.0.column')} input`, 'bill_depth_mm')
    await expect.poll(() => page.textContent('[data-testid=save-state]'), { timeout: 10_000 }).toMatch(/draft kept/)
    await page.reload()
    await page.waitForSelector('[data-testid=draft-notice]')
    await page.click(`${node('validate')} [data-part=header]`)
    expect(await page.inputValue(`${field('rules.0.column')} input`)).toBe('bill_depth_mm')
  })

  it('groups shift-clicked nodes, moves the group as one, and undoes both', async () => {
    await closePanel()
    const transform = (id: string) => page.$eval(node(id), (el) => (el as HTMLElement).style.transform)
    await page.click(`${node('ingest')} [data-part=header]`)
    await page.click(`${node('validate')} [data-part=header]`, { modifiers: ['Shift'] })
    await page.keyboard.press('Control+g')
    const frame = (await (await page.waitForSelector('[data-testid^=group-]')).boundingBox())!
    const before = [await transform('ingest'), await transform('validate')]
    await page.mouse.move(frame.x + 40, frame.y + 8)
    await page.mouse.down()
    await page.mouse.move(frame.x + 120, frame.y + 70, { steps: 10 })
    await page.mouse.up()
    const after = [await transform('ingest'), await transform('validate')]
    expect(after[0]).not.toBe(before[0])
    expect(after[1]).not.toBe(before[1])
    await shot('08-group')
    await page.keyboard.press('Control+z')
    await expect.poll(() => transform('validate')).toBe(before[1])
    await page.keyboard.press('Control+z')
    await page.waitForSelector('[data-testid^=group-]', { state: 'detached' })
  })

  it('copies a node in one tab and pastes it into another pipeline in a second tab', async () => {
    await closePanel()
    await page.click(`${node('validate')} [data-part=header]`)
    await page.keyboard.press('Control+c')
    const other = await page.context().newPage()
    await other.goto(`${app.url}/pipelines`)
    await other.click('[data-testid=pipeline-penguin-species] a')
    await other.waitForSelector(`[data-testid=pipeline-editor][data-ready=true] ${node('check')}`)
    await other.click('.react-flow__pane', { position: { x: 20, y: 20 } })
    await other.keyboard.press('Control+v')
    await other.waitForSelector(node('validate'))
    // the copy keeps its settings; it arrives unconnected, which the compiler points out
    await other.waitForSelector('[data-testid=problems-count]')
    await other.close()
  })

  it('tidies the graph with auto-layout: ingest ends up left of validate', async () => {
    await page.click('[data-testid=auto-layout]')
    await expect
      .poll(async () => {
        const a = (await page.locator(node('ingest')).boundingBox())!
        const b = (await page.locator(node('validate')).boundingBox())!
        return a.x + a.width <= b.x && Math.abs(a.y - b.y) < 80
      })
      .toBe(true)
    await page.keyboard.press('Control+z')
  })

  it('cancels a slow run from the canvas', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},${i * 2}`).join('\n')
    const source = await serveCsv(`a,b\n${rows}\n`, { dribbleMs: 60_000 })
    const created = await fetch(`${app.url}/api/v1/pipelines`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        apiVersion: 'pipewright/v1',
        name: 'slow-download',
        nodes: [{ id: 'load', kind: 'ingest', config: { source: { type: 'url', url: `${source.url}/slow.csv` } } }],
        edges: [],
      }),
    })
    const { id } = await created.json()
    await page.goto(`${app.url}/pipelines/${id}`)
    await page.waitForSelector(`[data-testid=pipeline-editor][data-ready=true] ${node('load')}`)
    await page.click('[data-testid=canvas-run]')
    await page.waitForSelector(`${node('load')}[data-status=running]`)
    await page.click('[data-testid=cancel-run]')
    await page.waitForSelector(`${node('load')}[data-status=canceled]`)
    await expect.poll(() => page.textContent('[data-testid=canvas-run-status]')).toMatch(/canceled/)
    await source.close()
  })
})
