import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser } from '../harness/browser'

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
    await tab.goto(`${app.url}/sign-in`)
    await tab.fill('input[type=email]', email)
    await tab.fill('input[type=password]', password)
    await tab.click('button[type=submit]')
    await tab.waitForURL('**/pipelines')
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
    await page.fill('#severity', '7')
    await page.click('[data-testid=create-use-case]')
    await page.waitForURL(/\/use-cases\/[0-9a-f-]{36}$/)
    expect(await page.textContent('h1')).toBe('Paint defects found too late')
    expect(await page.textContent('[data-testid=effective-severity]')).toBe('7')
    await shot('04-created')
  })
})
