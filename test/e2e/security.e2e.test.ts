import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser } from '../harness/browser'

const owner = { name: 'Grace Owner', email: 'grace@example.com', password: 'a long enough password' }
const uploadLimit = 64 * 1024

/** A page on another port of the same host: same site for cookies, another origin for everything else. */
function startForeignSite(pages: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const page = pages[request.url ?? '/']
    response.writeHead(page ? 200 : 404, { 'content-type': 'text/html' })
    response.end(page ?? 'not here')
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((done) => server.close(() => done())) })
    }),
  )
}

describe('the app as an attacker meets it', () => {
  let app: AppServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let token = ''
  const cspViolations: string[] = []

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${app.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } })

  beforeAll(async () => {
    app = await startAppServer({ PIPEWRIGHT_MAX_UPLOAD_BYTES: String(uploadLimit) })
    const setup = await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
    expect(setup.status).toBe(201)
    token = (await setup.json()).token
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    page = await context.newPage()
    page.setDefaultTimeout(30_000)
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to (execute|load|apply|connect)/i.test(message.text())) cspViolations.push(message.text())
    })
    await page.goto(`${app.url}/sign-in`)
    await page.fill('#email', owner.email)
    await page.fill('#password', owner.password)
    await page.click('button[type=submit]')
    await page.waitForURL('**/pipelines')
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  it('sends the security headers on pages and API answers, and no X-Powered-By', async () => {
    for (const path of ['/sign-in', '/api/v1/openapi.json', '/api/v1/pipelines', '/api/v1/runs/%zz']) {
      const response = await fetch(`${app.url}${path}`)
      const csp = response.headers.get('content-security-policy') ?? ''
      expect(csp, path).toMatch(/frame-ancestors 'none'/)
      expect(csp, path).toMatch(path.startsWith('/api/') ? /default-src 'none'/ : /script-src 'self' 'nonce-/)
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(response.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin')
      expect(response.headers.get('x-powered-by'), path).toBeNull()
    }
  })

  it('runs every page under its CSP with no violation: the canvas, a run, the board', async () => {
    const pipelines = await (await api('/api/v1/pipelines')).json()
    const sample = pipelines.pipelines.find((p: { name: string }) => p.name === 'penguin-species')
    await page.goto(`${app.url}/pipelines/${sample.id}`)
    await page.waitForSelector('[data-testid=pipeline-editor][data-ready=true] [data-testid=canvas-run]:not([disabled])')
    await page.click('[data-testid=canvas-run]')
    await page.waitForSelector('.react-flow__node[data-node-id=check][data-status=succeeded]', { timeout: 60_000 })
    await page.click('[data-testid=open-run]')
    await page.waitForSelector('[data-testid=step-check][data-status=succeeded]')
    for (const path of ['/use-cases', '/tokens', '/users', '/upload', '/pipelines']) {
      await page.goto(`${app.url}${path}`)
      await page.waitForSelector('[data-testid=current-user]')
    }
    expect(cspViolations).toEqual([])
  })

  it('cannot be framed by another site while signed in', async () => {
    const foreign = await startForeignSite({ '/': `<iframe id="f" src="${app.url}/users" width="800" height="600"></iframe>` })
    try {
      await page.goto(foreign.url)
      await page.waitForTimeout(1500)
      const frame = page.frames().find((f) => f !== page.mainFrame())
      const framedApp = frame ? await frame.$('[data-testid=current-user]').catch(() => null) : null
      expect(framedApp).toBeNull()
    } finally {
      await foreign.close()
    }
  })

  it('refuses a cross-site text/plain form post riding on the admin cookie (no admin is made)', async () => {
    const body = JSON.stringify({ email: 'mallory@example.com', name: 'Mallory', role: 'admin', password: 'mallory mallory' })
    const form = `<form id="f" method="POST" enctype="text/plain" action="${app.url}/api/v1/users"><input name='${body.slice(0, -2)}' value='${body.slice(-2)}'></form><script>document.getElementById('f').submit()</script>`
    const foreign = await startForeignSite({ '/': form })
    try {
      const answer = page.waitForResponse((response) => response.url() === `${app.url}/api/v1/users`)
      await page.goto(foreign.url)
      const response = await answer
      expect(response.status()).toBe(403)
      expect(await response.text()).toMatch(/another site/)
    } finally {
      await foreign.close()
    }
    const users = await (await api('/api/v1/users')).json()
    expect(users.users.map((u: { email: string }) => u.email)).not.toContain('mallory@example.com')
  })

  it('refuses a cross-site fetch without a body (start a run) and a cross-site sign-in (login CSRF)', async () => {
    const pipelines = await (await api('/api/v1/pipelines')).json()
    const sample = pipelines.pipelines[0]
    const runsBefore = (await (await api(`/api/v1/pipelines/${sample.id}/runs`)).json()).runs.length
    const signIn = `<form id="f" method="POST" action="${app.url}/api/auth/sign-in"><input name="email" value="attacker@example.com"><input name="password" value="attacker password"></form>`
    const foreign = await startForeignSite({
      '/run': `<script>fetch('${app.url}/api/v1/pipelines/${sample.id}/runs', { method: 'POST', mode: 'no-cors', credentials: 'include' })</script>`,
      '/sign-in': `${signIn}<script>document.getElementById('f').submit()</script>`,
    })
    try {
      await page.goto(`${foreign.url}/run`)
      await page.waitForTimeout(1000)
      const answer = page.waitForResponse((response) => response.url() === `${app.url}/api/auth/sign-in`)
      await page.goto(`${foreign.url}/sign-in`)
      expect((await answer).status()).toBe(403)
    } finally {
      await foreign.close()
    }
    expect((await (await api(`/api/v1/pipelines/${sample.id}/runs`)).json()).runs.length).toBe(runsBefore)
    await page.goto(`${app.url}/pipelines`)
    await expect.poll(() => page.textContent('[data-testid=current-user]')).toContain(owner.name)
  })

  it('accepts the same writes from the app itself, and from a token with any origin', async () => {
    const fromApp = await page.evaluate(async () => {
      const response = await fetch('/api/v1/use-cases', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Made in the app' }) })
      return response.status
    })
    expect(fromApp).toBe(201)
    const plainFromApp = await page.evaluate(async () => (await fetch('/api/v1/use-cases', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"title":"x"}' })).status)
    expect(plainFromApp).toBe(415)
    const withToken = await api('/api/v1/use-cases', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://elsewhere.example' }, body: JSON.stringify({ title: 'By token' }) })
    expect(withToken.status).toBe(201)
  })

  it('answers malformed escapes, an out-of-range version and hostile text with 4xx, never 500', async () => {
    for (const path of ['/api/v1/runs/%zz', '/api/v1/runs/%ff%fe', '/api/v1/runs/%c0%af', '/api/v1/runs/%', '/api/v1/runs/%u0041', '/use-cases/%zz']) {
      const response = await api(path)
      expect(response.status, path).toBe(400)
      expect((await response.json()).error).toMatch(/malformed percent-escape/)
    }
    const sample = (await (await api('/api/v1/pipelines')).json()).pipelines[0]
    const version = await api(`/api/v1/pipelines/${sample.id}/versions/2147483648`)
    expect(version.status).toBe(404)
    for (const title of ['a\u0000b', 'x\ud800y']) {
      const response = await api('/api/v1/use-cases', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) })
      expect(response.status).toBe(400)
      const body = await response.json()
      expect(body.issues[0].path).toBe('title')
    }
  })

  it('refuses a chunked upload over the limit with 413 and stays up', async () => {
    const chunk = new Uint8Array(16 * 1024).fill(65)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= uploadLimit * 3) return controller.close()
        sent += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    const response = await api('/api/v1/uploads?filename=big.csv', { method: 'POST', body, duplex: 'half' } as RequestInit)
    expect(response.status).toBe(413)
    expect((await response.json()).error).toMatch(/upload limit/)
    expect((await api('/api/v1/pipelines')).status).toBe(200)
    // the client hanging up mid-body is logged by Next.js as "aborted"; what must never happen is the
    // server closing a stream twice (it did, with Readable.fromWeb)
    expect(app.output()).not.toMatch(/ReadableStream is already closed/)
  })

  it('previews a dataset whose only column is text', async () => {
    const upload = await api('/api/v1/uploads?filename=names.csv', { method: 'POST', body: 'species [name]\nAdelie\nGentoo\nAdelie\n' })
    const { artifactId } = await upload.json()
    const file = { apiVersion: 'pipewright/v1', name: 'one-text-column', nodes: [{ id: 'load', kind: 'ingest', config: { source: { type: 'upload', artifactId, format: 'csv' } } }], edges: [] }
    const created = await (await api('/api/v1/pipelines', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(file) })).json()
    const { runId } = await (await api(`/api/v1/pipelines/${created.id}/runs`, { method: 'POST' })).json()
    let run: { status: string; steps: { outputs: Record<string, string> }[] } = { status: 'queued', steps: [] }
    for (let i = 0; i < 100 && !['succeeded', 'failed'].includes(run.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      run = await (await api(`/api/v1/runs/${runId}`)).json()
    }
    expect(run.status).toBe('succeeded')
    const preview = await api(`/api/v1/artifacts/${run.steps[0]!.outputs.dataset}/preview`)
    expect(preview.status).toBe(200)
    const body = await preview.json()
    expect(JSON.stringify(body)).toMatch(/Adelie/)
  })
})
