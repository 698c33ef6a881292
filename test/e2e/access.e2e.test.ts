import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { roles, type Role } from '@/db/schema'
import { pageAccess } from '@/server/auth/page-access'
import { roleMeets, roleSummaries, type Requirement } from '@/server/auth/permissions'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser } from '../harness/browser'
import { ingestValidatePipeline } from '../harness/data'
import { tinyClassifier } from '../harness/onnx-models'

const shots = path.join(process.cwd(), 'test-results', 'e2e')
const owner = { name: 'Olive Owner', email: 'olive@example.com', password: 'correct horse battery' }
const people: Record<Role, { name: string; email: string; password: string }> = {
  admin: owner,
  engineer: { name: 'Erin Engineer', email: 'erin@example.com', password: 'engineer-pass' },
  operator: { name: 'Oscar Operator', email: 'oscar@example.com', password: 'operator-pass' },
  pm: { name: 'Pia PM', email: 'pia@example.com', password: 'prioritise wisely' },
}

/** Every app/**\/page.tsx as its route (/use-cases/[useCaseId]/edit), so a page added tomorrow is walked too. */
function pagesOnDisk(): string[] {
  const app = path.join(process.cwd(), 'app')
  return fs
    .readdirSync(app, { recursive: true, encoding: 'utf8' })
    .filter((file) => path.basename(file) === 'page.tsx')
    .map((file) => path.dirname(file).split(path.sep))
    .filter((segments) => !segments.some((s) => s.startsWith('_'))) // private folders are not routes
    .map((segments) => `/${segments.filter((s) => s !== '.' && !/^\(.*\)$/.test(s)).join('/')}`)
    .sort()
}

interface Ids {
  pipelineId: string
  runId: string
  useCaseId: string
  useCaseTitle: string
  rateToken: string
}

/** Where the walk opens each page, and a text the page shows when it really rendered (not an empty shell). */
const examples: Record<string, { path: (ids: Ids) => string; shows: (ids: Ids) => string }> = {
  '/': { path: () => '/', shows: () => 'Pipelines' },
  '/setup': { path: () => '/setup', shows: () => 'Sign in' },
  '/sign-in': { path: () => '/sign-in', shows: () => 'Sign in to Pipewright' },
  '/rate/[token]': { path: (ids) => `/rate/${ids.rateToken}`, shows: () => 'Hello Walk rater' },
  '/pipelines': { path: () => '/pipelines', shows: () => 'access-walk' },
  '/pipelines/[pipelineId]': { path: (ids) => `/pipelines/${ids.pipelineId}`, shows: () => 'access-walk' },
  '/runs/[runId]': { path: (ids) => `/runs/${ids.runId}`, shows: () => 'access-walk' },
  '/runs/[runId]/steps/[nodeId]': { path: (ids) => `/runs/${ids.runId}/steps/load`, shows: () => 'Back to run' },
  '/models': { path: () => '/models', shows: () => 'access-walk-model' },
  '/models/[name]': { path: () => '/models/access-walk-model', shows: () => 'Compare two versions' },
  '/models/[name]/versions/[version]': { path: () => '/models/access-walk-model/versions/1', shows: () => 'Signature' },
  '/models/[name]/versions/[version]/preview': { path: () => '/models/access-walk-model/versions/1/preview', shows: () => 'Preview' },
  '/deployments': { path: () => '/deployments', shows: () => 'access-walk-serve' },
  '/deployments/[name]': { path: () => '/deployments/access-walk-serve', shows: () => 'Rollout history' },
  '/upload': { path: () => '/upload', shows: () => 'Upload a dataset' },
  '/tokens': { path: () => '/tokens', shows: () => 'API tokens' },
  '/use-cases': { path: () => '/use-cases', shows: (ids) => ids.useCaseTitle },
  '/use-cases/new': { path: () => '/use-cases/new', shows: () => 'New use case' },
  '/use-cases/invites': { path: () => '/use-cases/invites', shows: () => 'Rating links' },
  '/use-cases/[useCaseId]': { path: (ids) => `/use-cases/${ids.useCaseId}`, shows: (ids) => ids.useCaseTitle },
  '/use-cases/[useCaseId]/edit': { path: (ids) => `/use-cases/${ids.useCaseId}/edit`, shows: () => 'Edit use case' },
  '/users': { path: () => '/users', shows: () => people.operator.email },
  '/audit': { path: () => '/audit', shows: () => 'Export CSV' },
  '/account': { path: () => '/account', shows: () => 'Your account' },
}

interface Visit {
  /** status of the first answer, before any redirect */
  first: number
  /** where the redirects ended, its status, and the text a person sees there once the page has rendered */
  finalPath: string
  status: number
  text: string
}

/** The requests a navigation went through, first to last (each redirect is one). */
function redirectChain(last: Request): Request[] {
  const chain = [last]
  while (chain[0]!.redirectedFrom()) chain.unshift(chain[0]!.redirectedFrom()!)
  return chain
}

describe('every page, opened by nobody and by each role', () => {
  let app: AppServer
  let browser: Browser
  let token = ''
  let ids: Ids
  const cookies = {} as Record<Role, string>
  let requests = 0

  const api = async (method: string, url: string, json?: unknown) => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }
    if (json !== undefined) init.body = JSON.stringify(json)
    const response = await fetch(`${app.url}${url}`, init)
    expect(response.status, `${method} ${url}`).toBeLessThan(300)
    return response.json()
  }

  async function signIn(role: Role): Promise<string> {
    const { email, password } = people[role]
    const response = await fetch(`${app.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
    expect(response.status).toBe(200)
    return response.headers.get('set-cookie')!.split(';')[0]!
  }

  /**
   * Opens a page in Chromium and reads what it shows. A browser, not fetch: Next.js sends a 403 or 404 page
   * as an empty HTML shell that the browser fills in, so only a browser sees whether the page is really there.
   */
  async function visit(tab: Page, pagePath: string): Promise<Visit> {
    const response = (await tab.goto(`${app.url}${pagePath}`))!
    const chain = redirectChain(response.request())
    requests += chain.length
    // a page's title, or the error page's alert; whatever it is, judge() reads the text
    await tab.waitForSelector('main h1, main [role=alert]', { timeout: 10_000 }).catch(() => {})
    return {
      first: (await chain[0]!.response())!.status(),
      finalPath: new URL(tab.url()).pathname,
      status: response.status(),
      text: await tab.innerText('body'),
    }
  }

  /** What is wrong with one visit, judged against the page table; null when it is as the table says. */
  function judge(access: Requirement | 'public', role: Role | null, seen: Visit): string | null {
    if (seen.status >= 500) return `answered ${seen.status}: ${seen.text.slice(0, 200)}`
    if (seen.text.includes('This page could not be shown')) return 'showed the error page'
    if (access !== 'public' && !role) {
      return seen.first >= 300 && seen.first < 400 && seen.finalPath === '/sign-in' ? null : `expected a redirect to /sign-in, got ${seen.first} → ${seen.finalPath}`
    }
    if (access === 'public' || roleMeets(role!, access)) {
      if (seen.status !== 200) return `expected 200, got ${seen.status} at ${seen.finalPath}`
      if (seen.text.includes('Not allowed')) return 'showed the not-allowed page'
      if (access !== 'public' && seen.first !== 200) return `expected the page itself, got ${seen.first} → ${seen.finalPath}`
      // where a public page sent the visitor on (/setup once set up), that page's text counts
      const landed = Object.values(examples).find((example) => example.path(ids) === seen.finalPath)
      const shows = landed?.shows(ids)
      if (!shows) return `ended at ${seen.finalPath}, a page the walk does not know`
      return seen.text.includes(shows) ? null : `answered 200 without "${shows}": an empty shell?`
    }
    if (seen.status !== 403) return `expected 403 and the not-allowed page, got ${seen.status} at ${seen.finalPath}`
    if (!seen.text.includes('Not allowed')) return `answered 403 without the not-allowed page: ${seen.text.slice(0, 200)}`
    if (!seen.text.includes(`with the role ${roleSummaries[role!].label}`)) return `the not-allowed page does not name the role ${role}`
    if (!seen.text.includes('This page needs a role that may')) return 'the not-allowed page does not say what the page needs'
    return null
  }

  async function tabFor(role: Role | null): Promise<{ context: BrowserContext; tab: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    if (role) {
      const [name, value] = cookies[role].split('=') as [string, string]
      await context.addCookies([{ name, value, url: app.url }])
    }
    const tab = await context.newPage()
    tab.setDefaultTimeout(30_000)
    return { context, tab }
  }

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true })
    app = await startAppServer()
    const setup = await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
    token = (await setup.json()).token
    for (const role of roles.filter((r) => r !== 'admin')) await api('POST', '/api/v1/users', { ...people[role], role })
    for (const role of roles) cookies[role] = await signIn(role)

    const upload = await fetch(`${app.url}/api/v1/uploads?filename=walk.csv`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: 'id,value\n1,2\n' })
    const { artifactId } = await upload.json()
    const pipeline = await api('POST', '/api/v1/pipelines', ingestValidatePipeline('access-walk', artifactId, []))
    const run = await api('POST', `/api/v1/pipelines/${pipeline.id}/runs`, {})
    const model = await fetch(`${app.url}/api/v1/models/access-walk-model/versions?labels=a,b,c`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: tinyClassifier() })
    expect(model.status).toBe(201)
    await api('POST', '/api/v1/deployments', { name: 'access-walk-serve', model: 'access-walk-model', version: 1 })
    const useCaseTitle = 'Pallets misrouted at dock 4'
    const useCase = await api('POST', '/api/v1/use-cases', { title: useCaseTitle })
    const invite = await api('POST', '/api/v1/use-cases/invites', { raterName: 'Walk rater', useCaseId: useCase.id })
    ids = { pipelineId: pipeline.id, runId: run.runId, useCaseId: useCase.id, useCaseTitle, rateToken: new URL(invite.url).pathname.split('/').at(-1)! }
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  it('has every page file in the page access table, and an example visit for each', () => {
    const onDisk = pagesOnDisk()
    expect(onDisk.filter((page) => !(page in pageAccess)), 'pages missing from server/auth/page-access.ts').toEqual([])
    expect(Object.keys(pageAccess).filter((page) => !onDisk.includes(page)), 'table entries without a page').toEqual([])
    expect(onDisk.filter((page) => !(page in examples)), 'pages without an example visit in this test').toEqual([])
  })

  it('redirects nobody to sign-in, shows each role what it may see, and the not-allowed page (403) for the rest', async () => {
    const problems: string[] = []
    for (const role of [null, ...roles]) {
      const { context, tab } = await tabFor(role)
      for (const page of pagesOnDisk()) {
        const access = pageAccess[page]!
        const problem = judge(access, role, await visit(tab, examples[page]!.path(ids)))
        if (problem) problems.push(`${page} (${access}) as ${role ?? 'nobody'}: ${problem}`)
      }
      await context.close()
    }
    expect(problems).toEqual([])
    console.info(`page walk: ${pagesOnDisk().length} pages × ${roles.length + 1} visitors, ${requests} requests`)
  }, 300_000)

  it('tells an operator on a product manager’s page who they are, what it needs, and takes them back', async () => {
    const { context, tab } = await tabFor('operator')
    const response = await tab.goto(`${app.url}/use-cases/new`)
    expect(response?.status()).toBe(403)
    await tab.waitForSelector('[data-testid=not-allowed]')
    expect(await tab.textContent('[data-testid=not-allowed-role]')).toContain(`${people.operator.name}, with the role Operator`)
    expect(await tab.textContent('[data-testid=not-allowed-needs]')).toContain('This page needs a role that may edit use cases: admin or product manager.')
    // the navigation offers only pages an operator may open
    const nav = await tab.textContent('nav[aria-label=Main]')
    expect(nav).toContain('Use cases')
    expect(nav).not.toContain('Upload')
    expect(nav).not.toContain('Users')
    await tab.screenshot({ path: path.join(shots, 'access-not-allowed.png'), fullPage: true })
    await tab.click('text=Back to use cases')
    await tab.waitForURL('**/use-cases')
    await tab.waitForSelector(`text=${ids.useCaseTitle}`)
    await context.close()
  })

  it('offers each role in the navigation exactly the pages it may open', async () => {
    const offered: Record<Role, string[]> = { admin: [], engineer: [], operator: [], pm: [] }
    for (const role of roles) {
      const { context, tab } = await tabFor(role)
      await tab.goto(`${app.url}/pipelines`)
      offered[role] = await tab.$$eval('nav[aria-label=Main] a', (links) => links.map((a) => a.getAttribute('href')!))
      await context.close()
    }
    expect(offered).toEqual({
      admin: ['/pipelines', '/models', '/deployments', '/use-cases', '/upload', '/tokens', '/users', '/audit'],
      engineer: ['/pipelines', '/models', '/deployments', '/use-cases', '/upload', '/tokens'],
      operator: ['/pipelines', '/models', '/deployments', '/use-cases', '/tokens'],
      pm: ['/pipelines', '/models', '/deployments', '/use-cases', '/tokens'],
    })
  })
})
