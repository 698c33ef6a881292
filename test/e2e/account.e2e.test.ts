import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { freshPostgresDatabase } from '../harness/backends'
import { launchBrowser } from '../harness/browser'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Grace Hopper', email: 'grace@example.com', password: 'first of many' }
const newPassword = 'a much longer passphrase'

/**
 * Two browsers signed in as the same person: a password change on the account page signs the
 * other one out. Then tokens with an expiry on the Tokens page, and the sign-in lock's message.
 * On PostgreSQL, so the test can age a token the way time would.
 */
describe('your account, sessions and tokens in the browser', () => {
  let app: AppServer
  let browser: Browser
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>
  let sql: postgres.Sql
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    database = await freshPostgresDatabase()
    sql = postgres(database.url, { max: 1, onnotice: () => {} })
    app = await startAppServer({ DATABASE_URL: database.url })
    browser = await launchBrowser()
    const setup = await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
    expect(setup.status).toBe(201)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    await sql?.end()
    await database?.drop()
  })

  async function signedInPage(password = owner.password): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    contexts.push(context)
    const page = await context.newPage()
    page.setDefaultTimeout(30_000)
    await signIn(page, owner.email, password)
    await page.waitForURL('**/pipelines')
    return page
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${app.url}/sign-in`)
    await page.fill('#email', email)
    await page.fill('#password', password)
    await page.click('button[type=submit]')
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })

  it('changes the password on the account page, and the other browser is signed out', async () => {
    const here = await signedInPage()
    const elsewhere = await signedInPage()

    await here.click('[data-testid=account-link]')
    await here.waitForURL('**/account')
    await expect.poll(() => here.textContent('[data-testid=account-details]')).toContain(owner.email)

    await here.fill('#currentPassword', 'not my password')
    await here.fill('#newPassword', newPassword)
    await here.fill('#repeatPassword', newPassword)
    await here.click('[data-testid=change-password]')
    await expect.poll(() => here.textContent('#currentPassword-error')).toBe('This is not your current password')

    await here.fill('#currentPassword', owner.password)
    await here.fill('#newPassword', newPassword)
    await here.fill('#repeatPassword', newPassword)
    await here.click('[data-testid=change-password]')
    await expect.poll(() => here.textContent('[data-testid=password-changed]')).toContain('Signed out 1 other session')
    await shot(here, 'account-password-changed')

    await elsewhere.goto(`${app.url}/pipelines`)
    await elsewhere.waitForURL('**/sign-in')
    await here.goto(`${app.url}/pipelines`)
    await expect.poll(() => here.textContent('[data-testid=current-user]')).toContain(owner.name)

    await signIn(elsewhere, owner.email, owner.password)
    await expect.poll(() => elsewhere.textContent('[data-testid=form-error]')).toContain('do not match an account')
    await signIn(elsewhere, owner.email, newPassword)
    await elsewhere.waitForURL('**/pipelines')
  })

  it('creates tokens with an expiry, shows it, and marks an expired one', async () => {
    const page = await signedInPage(newPassword)
    await page.goto(`${app.url}/tokens`)
    expect(await page.inputValue('[data-testid=token-expiry]')).toBe('90')
    await page.fill('[data-testid=token-name]', 'weekly-report')
    await page.selectOption('[data-testid=token-expiry]', '7')
    await page.click('[data-testid=create-token]')
    const token = (await (await page.waitForSelector('[data-testid=new-token-value]')).textContent())!.trim()
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })
    await expect.poll(() => page.textContent('[data-testid=token-weekly-report] [data-testid=token-expires]')).toBe(inAWeek)

    await page.fill('[data-testid=token-name]', 'forever')
    await page.selectOption('[data-testid=token-expiry]', 'never')
    await page.click('[data-testid=create-token]')
    await expect.poll(() => page.textContent('[data-testid=token-forever] [data-testid=token-expires]')).toBe('never')

    // a week later, as far as the token knows
    await sql`update api_tokens set expires_at = now() - interval '1 hour' where name = 'weekly-report'`
    const refused = await fetch(`${app.url}/api/v1/pipelines`, { headers: { authorization: `Bearer ${token}` } })
    expect(refused.status).toBe(401)
    expect((await refused.json()).error).toMatch(/expired on/)
    await page.reload()
    expect(await page.getAttribute('[data-testid=token-weekly-report]', 'data-expired')).toBe('true')
    await expect.poll(() => page.textContent('[data-testid=token-weekly-report] [data-testid=token-expires]')).toContain('expired')
    await shot(page, 'tokens-with-expiry')
  })

  it('says how long to wait after too many wrong passwords', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    contexts.push(context)
    const page = await context.newPage()
    for (let i = 0; i < 5; i++) {
      await signIn(page, 'someone@example.com', `guess ${i}`)
      await expect.poll(() => page.textContent('[data-testid=form-error]')).toContain('do not match an account')
    }
    await signIn(page, 'someone@example.com', 'one more guess')
    await expect.poll(() => page.textContent('[data-testid=form-error]')).toMatch(/Too many sign-in attempts; try again in \d+ seconds\./)
    await shot(page, 'sign-in-locked')
  })
})
