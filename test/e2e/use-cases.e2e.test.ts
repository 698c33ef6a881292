import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser, signIn } from '../harness/browser'
import { urlIngestPipeline } from '../harness/data'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Peggy PM', email: 'peggy@example.com', password: 'prioritise wisely' }

describe('a product manager on the use-case board', () => {
  let app: AppServer
  let browser: Browser
  let page: Page
  let raterPage: Page
  let token = ''

  const api = (url: string, json: unknown) =>
    fetch(`${app.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json) })

  async function signedIn(email: string, password: string): Promise<Page> {
    const tab = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    tab.setDefaultTimeout(30_000)
    await signIn(tab, app.url, { email, password })
    return tab
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    const setup = await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
    token = (await setup.json()).token
    expect((await api('/api/v1/users', { email: 'rae@example.com', name: 'Rae Rater', role: 'operator', password: 'rate it honestly' })).status).toBe(201)
    browser = await launchBrowser()
    page = await signedIn(owner.email, owner.password)
    raterPage = await signedIn('rae@example.com', 'rate it honestly')
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `use-cases-${name}.png`), fullPage: true })
  const firstRow = () => page.getAttribute('[data-testid=use-case-row] >> nth=0', 'data-id')

  it('shows the seeded board and reorders it when the ranking strategy changes', async () => {
    const severe = await (await api('/api/v1/use-cases', { title: 'Line stops at night', severity: 10, devCost: 2_000_000 })).json()
    const cheap = await (await api('/api/v1/use-cases', { title: 'Label printer jams', severity: 2, devCost: 500 })).json()
    await page.click('nav >> text=Use cases')
    await page.waitForSelector('[data-testid=use-case-row]')
    expect((await page.$$('[data-testid=use-case-row]')).length).toBeGreaterThanOrEqual(12)
    expect(await firstRow()).toBe(severe.id)
    await shot('01-pain')
    await page.click('[data-testid=strategy-quick-win]')
    await expect.poll(firstRow).toBe(cheap.id)
    await shot('02-quick-win')
    // both ranks side by side, whichever order the table is in
    expect(await page.textContent(`[data-id="${severe.id}"] [data-testid=rank-pain]`)).toBe('1')
    expect(await page.textContent(`[data-id="${cheap.id}"] [data-testid=rank-quick-win]`)).toBe('1')
    // a column header sorts the table by it; the ranking strategy puts the rank order back
    await page.click('[data-testid=sort-severity]')
    await expect.poll(firstRow).toBe(severe.id)
    expect(await page.getAttribute('th:has([data-testid=sort-severity])', 'aria-sort')).toBe('descending')
    await page.click('[data-testid=strategy-pain]')
    await page.click('[data-testid=strategy-quick-win]')
    await expect.poll(firstRow).toBe(cheap.id)
  })

  it('opens a use case from its bubble on the chart, and shows the median and spread of two raters', async () => {
    const { id } = await (await api('/api/v1/use-cases', { title: 'Scrap in paint shop', severity: 3, devCost: 40_000, confidence: 80 })).json()
    await page.reload()
    await page.click(`[data-testid=bubble-${id}]`)
    await page.waitForURL(`**/use-cases/${id}`)
    // the owner rates 4, a second person rates 8, each in their own browser
    await page.fill('[data-testid=rate-severity]', '4')
    await page.click('[data-testid=rate-submit]')
    await expect.poll(() => page.textContent('[data-testid=ratings-median]')).toBe('4')
    await raterPage.goto(`${app.url}/use-cases/${id}`)
    await raterPage.fill('[data-testid=rate-severity]', '8')
    await raterPage.click('[data-testid=rate-submit]')
    await expect.poll(() => raterPage.textContent('[data-testid=ratings-median]')).toBe('6')
    await page.reload()
    expect(await page.textContent('[data-testid=ratings-median]')).toBe('6')
    expect(await page.textContent('[data-testid=ratings-range]')).toBe('4–8')
    expect(await page.textContent('[data-testid=effective-severity]')).toBe('6')
    expect(await page.textContent('[data-testid=score-explain]')).toMatch(/6\^1 ÷ \(40 k\)\^1/)
    await shot('03-use-case')
  })

  it('creates a use case in the browser; a severity of 11 is refused, naming the field', async () => {
    await page.goto(`${app.url}/use-cases`)
    await page.click('[data-testid=new-use-case]')
    await page.fill('#title', 'Paint defects found too late')
    await page.fill('#problem', 'Defects are found at final inspection, after three more stations.')
    await page.fill('#severity', '11')
    await page.fill('#devCost', '25000')
    await page.click('[data-testid=create-use-case]')
    await expect.poll(() => page.textContent('#severity-error')).toMatch(/between 1 and 10/)
    await shot('04a-new-form')
    await page.fill('#severity', '7')
    await page.click('[data-testid=create-use-case]')
    await page.waitForURL(/\/use-cases\/[0-9a-f-]{36}$/)
    expect(await page.textContent('h1')).toBe('Paint defects found too late')
    expect(await page.textContent('[data-testid=effective-severity]')).toBe('7')
    await shot('04-created')
  })

  it('edits a use case, and overrides its severity with a reason that stays in the history', async () => {
    const { id } = await (await api('/api/v1/use-cases', { title: 'Forklift near misses', severity: 4 })).json()
    await page.goto(`${app.url}/use-cases/${id}`)
    await page.click('[data-testid=edit-use-case]')
    await page.waitForURL(`**/use-cases/${id}/edit`)
    expect(await page.inputValue('#severity')).toBe('4')
    await page.selectOption('#status', 'data')
    await page.fill('#reach', 'lots')
    await page.click('[data-testid=save-use-case]')
    await expect.poll(() => page.textContent('#reach-error')).toMatch(/number/)
    await shot('05a-edit')
    await page.fill('#reach', '1200')
    await page.selectOption('#impact', '2')
    await page.click('[data-testid=save-use-case]')
    await page.waitForURL(`**/use-cases/${id}`)
    await expect.poll(() => page.textContent('ol[aria-label="Life cycle"] [aria-current=step]')).toBe('data')
    await page.click('[data-testid=override-open]')
    await page.selectOption('[data-testid=override-severity]', '9')
    await page.click('[data-testid=override-save]')
    await expect.poll(() => page.textContent('[data-testid=override-error]')).toMatch(/reason/)
    await page.fill('[data-testid=override-reason]', 'two injuries reported this quarter')
    await page.click('[data-testid=override-save]')
    await expect.poll(() => page.textContent('[data-testid=effective-severity]')).toBe('9')
    expect(await page.textContent('main')).toContain('Severity set to 9 by the PM: two injuries reported this quarter')
    expect(await page.textContent('main')).toContain('Changed status, reach, impact')
    await shot('05-override')
  })

  it('links a pipeline to a use case and shows it there', async () => {
    const pipeline = await (await api('/api/v1/pipelines', urlIngestPipeline('paint-defect-detector', 'http://127.0.0.1:9/defects.csv'))).json()
    const { id } = await (await api('/api/v1/use-cases', { title: 'Paint defect detection' })).json()
    await page.goto(`${app.url}/use-cases/${id}`)
    await page.selectOption('[data-testid=link-pipeline-select]', pipeline.id)
    await page.click('[data-testid=link-pipeline]')
    await page.waitForSelector('[data-testid=linked-pipelines] >> text=paint-defect-detector')
    expect(await page.textContent('[data-testid=linked-pipelines]')).toContain('never run')
    await page.click('[data-testid=linked-pipelines] >> text=paint-defect-detector')
    await page.waitForURL(`**/pipelines/${pipeline.id}`)
    await page.goBack()
    await page.waitForSelector('text=Linked pipeline paint-defect-detector')
  })

  it('invites a rater by a one-time link that works once, without an account', async () => {
    const { id } = await (await api('/api/v1/use-cases', { title: 'Late supplier deliveries', problem: 'Lines wait for parts twice a week.' })).json()
    await page.goto(`${app.url}/use-cases`)
    await page.click('[data-testid=invite-open]')
    await page.fill('[data-testid=invite-name]', 'Dana (plant manager)')
    await page.click('[data-testid=invite-create]')
    const link = await page.inputValue('[data-testid=invite-link]')
    await page.screenshot({ path: path.join(shots, 'use-cases-06b-invite.png') })
    expect(link).toMatch(/\/rate\/pw_rate_/)
    const stranger = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage()
    await stranger.goto(link)
    await stranger.waitForSelector('text=Hello Dana (plant manager)')
    const item = stranger.locator('[data-testid=rate-item]', { hasText: 'Late supplier deliveries' })
    await item.getByRole('radio', { name: '8', exact: true }).click()
    await item.getByLabel('Comment on Late supplier deliveries').fill('we lose a shift a week')
    await stranger.screenshot({ path: path.join(shots, 'use-cases-06-rating-link.png'), fullPage: false })
    await stranger.click('[data-testid=rate-link-submit]')
    await stranger.waitForSelector('text=your rating is in')
    await stranger.reload()
    await stranger.waitForSelector('text=already been used')
    await stranger.screenshot({ path: path.join(shots, 'use-cases-06a-link-used.png') })
    await page.goto(`${app.url}/use-cases/${id}`)
    expect(await page.textContent('[data-testid=rating-list]')).toMatch(/8 · Dana \(plant manager\)via link — we lose a shift a week/)
    expect(await page.textContent('[data-testid=effective-severity]')).toBe('8')
    await page.goto(`${app.url}/use-cases/invites`)
    await shot('06c-invites')
    expect(await page.textContent('[data-testid=invite-list] tr >> nth=0')).toMatch(/Dana \(plant manager\)every open use caseused/)
  })

  it('switches the board to RICE, and sizes bubbles by cost', async () => {
    await api('/api/v1/use-cases', { title: 'Huge reach chatbot', reach: 1_000_000, impact: 3, effort: 1, severity: 2, devCost: 9_000 })
    await page.goto(`${app.url}/use-cases`)
    await page.click('[data-testid=board-settings-open]')
    await page.check('[data-testid=method-rice]')
    await page.fill('[data-testid=setting-horizonYears]', '0')
    await page.click('[data-testid=board-settings-save]')
    await page.waitForSelector('text=must be between 0.25 and 20 years')
    await page.screenshot({ path: path.join(shots, 'use-cases-07a-settings.png') })
    await page.fill('[data-testid=setting-horizonYears]', '3')
    await page.click('[data-testid=board-settings-save]')
    await page.waitForSelector('[data-testid=board-settings-open] >> text=RICE')
    await page.click('[data-testid=strategy-quick-win]')
    await expect.poll(() => page.textContent('[data-testid=use-case-row] >> nth=0')).toContain('Huge reach chatbot')
    expect(await page.textContent('thead')).toContain('RICE')
    const radius = () => page.$$eval('svg circle', (circles) => circles.map((c) => c.getAttribute('r')).join(','))
    const byConfidence = await radius()
    await page.click('[data-testid=bubble-size-cost]')
    await expect.poll(radius).not.toBe(byConfidence)
    await shot('07-rice')
    await fetch(`${app.url}/api/v1/use-cases/settings`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ method: 'default' }) })
  })

  it('imports a CSV all or nothing: a bad row names its row and field, a fixed file is imported', async () => {
    await page.goto(`${app.url}/use-cases`)
    const upload = (name: string, text: string) => page.setInputFiles('[data-testid=csv-import-file]', { name, mimeType: 'text/csv', buffer: Buffer.from(text) })
    await upload('bad.csv', 'Title,Severity,Dev cost (EUR)\r\nCCTV anomaly watch,7,80000\r\nHR screening,11,20000\r\n')
    await expect.poll(() => page.textContent('[data-testid=csv-import-result]')).toMatch(/Nothing was imported from bad\.csv.*row 3, field severity: must be between 1 and 10/)
    expect(await page.$('[data-testid=use-case-row] >> text=CCTV anomaly watch')).toBeNull()
    await upload('good.csv', 'Title,Severity,Dev cost (EUR)\r\nCCTV anomaly watch,7,80000\r\nHR screening,6,20000\r\n')
    await expect.poll(() => page.textContent('[data-testid=csv-import-result]')).toMatch(/2 created/)
    await page.waitForSelector('[data-testid=use-case-row] >> text=CCTV anomaly watch')
    expect(await page.getAttribute('[data-testid=csv-export]', 'href')).toBe('/api/v1/use-cases/csv')
    await shot('08-imported')
  })
})
