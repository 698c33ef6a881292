import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser } from '../harness/browser'
import { ingestValidatePipeline } from '../harness/data'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Grace Admin', email: 'grace@example.com', password: 'append only please' }

describe('an admin reads the audit log', () => {
  let app: AppServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    page.setDefaultTimeout(30_000)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })

  it('makes a token in the browser and uses it, then finds both in the log by action', async () => {
    await page.goto(app.url)
    await page.waitForURL('**/setup')
    await page.fill('#name', owner.name)
    await page.fill('#email', owner.email)
    await page.fill('#password', owner.password)
    await page.click('button[type=submit]')
    await page.waitForURL('**/pipelines')

    await page.goto(`${app.url}/tokens`)
    await page.fill('[data-testid=token-name]', 'e2e laptop')
    await page.click('[data-testid=create-token]')
    const token = (await page.textContent('[data-testid=new-token-value]'))!.trim()
    const created = await fetch(`${app.url}/api/v1/pipelines`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(ingestValidatePipeline('from-ci', 'c'.repeat(64))),
    })
    expect(created.status).toBe(201)

    await page.click('nav[aria-label=Main] >> text=Audit log')
    await page.waitForURL('**/audit')
    await page.waitForSelector('[data-testid=audit-entry]')
    await shot('audit-01-all')

    await page.selectOption('[data-testid=audit-action]', 'pipeline.create')
    await page.click('[data-testid=audit-filter]')
    await page.waitForURL('**/audit?*action=pipeline.create*')
    const rows = page.locator('[data-testid=audit-entry]')
    await expect.poll(() => rows.count()).toBe(1)
    expect(await rows.first().getAttribute('data-action')).toBe('pipeline.create')
    const row = (await rows.first().textContent())!
    expect(row).toContain(owner.email)
    expect(row).toContain('token "e2e laptop"')
    await rows.first().locator('summary').click()
    await expect.poll(async () => (await rows.first().locator('pre').textContent()) ?? '').toContain('"version": 1')
    await shot('audit-02-filtered')

    await page.selectOption('[data-testid=audit-action]', 'token.create')
    await page.click('[data-testid=audit-filter]')
    await page.waitForURL('**/audit?*action=token.create*')
    await expect.poll(() => rows.count()).toBe(1)
    expect(await rows.first().textContent()).toContain('browser session')

    const csvHref = (await page.getAttribute('[data-testid=audit-csv]', 'href'))!
    expect(csvHref).toContain('action=token.create')
    const csv = await page.request.get(`${app.url}${csvHref}`)
    expect(csv.status()).toBe(200)
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain('token.create')
  })

  it('says which filter is wrong instead of failing', async () => {
    await page.goto(`${app.url}/audit?from=yesterday`)
    await expect.poll(() => page.textContent('[data-testid=audit-problem]')).toMatch(/^.*from: must be a date/)
    expect(await page.locator('[data-testid=audit-entry]').count()).toBe(0)
    await shot('audit-03-bad-filter')
  })
})
