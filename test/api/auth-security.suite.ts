import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessions, apiTokens } from '@/db/schema'
import { appRouter } from '@/server/api/root'
import type { Actor } from '@/server/auth/permissions'
import { hashSecret } from '@/server/auth/secrets'
import { closeServices, getServices } from '@/server/services'
import { call } from '../harness/routes'

const setupRoute = await import('@/app/api/v1/setup/route')
const signInRoute = await import('@/app/api/auth/sign-in/route')
const signOutRoute = await import('@/app/api/auth/sign-out/route')
const meRoute = await import('@/app/api/v1/me/route')
const passwordRoute = await import('@/app/api/v1/me/password/route')
const usersRoute = await import('@/app/api/v1/users/route')
const invitesRoute = await import('@/app/api/v1/use-cases/invites/route')
const rateRoute = await import('@/app/api/v1/rate/[token]/route')
const trpcRoute = await import('@/app/api/trpc/[trpc]/route')
const openapiRoute = await import('@/app/api/v1/openapi.json/route')

const owner = { email: 'owner@example.com', password: 'correct horse battery', name: 'Ada Owner' }
let adminToken = ''
let ownerActor: Actor
let nextAddress = 1
/** A fresh client address per test, so one test's failures do not lock another's. */
const newAddress = () => `198.51.100.${nextAddress++}`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function signIn(email: string, password: string, address: string) {
  const response = await call(signInRoute.POST, 'POST', '/api/auth/sign-in', {}, { json: { email, password }, headers: { 'x-forwarded-for': address } })
  const cookie = /pw_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1]
  return { ...response, cookie: cookie ? decodeURIComponent(cookie) : undefined }
}
const withCookie = (secret: string) => ({ headers: { cookie: `pw_session=${encodeURIComponent(secret)}` } })
const me = (options: Parameters<typeof call>[4]) => call(meRoute.GET, 'GET', '/api/v1/me', {}, options)

async function addUser(email: string, password: string) {
  const created = await call(usersRoute.POST, 'POST', '/api/v1/users', {}, { token: adminToken, json: { email, name: email.split('@')[0], role: 'engineer', password } })
  expect(created.status).toBe(201)
  return created.body.id as string
}

/**
 * Sessions, token expiry, password change, brute-force limits and public links, over HTTP
 * against the route handlers, on whatever database the environment names.
 */
export function authSecuritySuite(backend: string, options: { publicUrl?: string; cleanUp?: () => Promise<void> } = {}) {
  describe(`sessions, tokens, passwords and limits on ${backend}`, () => {
    beforeAll(async () => {
      const created = await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: owner })
      expect(created.status).toBe(201)
      adminToken = created.body.token
      ownerActor = created.body.user
    })
    afterAll(async () => {
      await closeServices(await getServices())
      await options.cleanUp?.()
    })

    describe('sessions', () => {
      it('sets an HttpOnly, SameSite=Lax cookie with a new id at each sign-in, and Secure when reached over https', async () => {
        const first = await signIn(owner.email, owner.password, newAddress())
        const second = await signIn(owner.email, owner.password, newAddress())
        expect(first.status).toBe(200)
        expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/)
        // people reach the app over https when PIPEWRIGHT_PUBLIC_URL says so: the cookie is Secure however the request arrived
        if (options.publicUrl?.startsWith('https:')) expect(first.headers.get('set-cookie')).toMatch(/; Secure$/)
        else expect(first.headers.get('set-cookie')).not.toMatch(/Secure/)
        expect(first.cookie).not.toBe(second.cookie)
        const behindTls = await call(signInRoute.POST, 'POST', '/api/auth/sign-in', {}, {
          json: owner,
          headers: { 'x-forwarded-for': newAddress(), 'x-forwarded-proto': 'https' },
        })
        expect(behindTls.headers.get('set-cookie')).toMatch(/; Secure$/)
      })

      it('ends a session idle for longer than the idle timeout (24 h here)', async () => {
        const { cookie } = await signIn(owner.email, owner.password, newAddress())
        expect((await me(withCookie(cookie!))).status).toBe(200)
        const { db } = await getServices()
        await db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 23 * 3600_000) }).where(eq(sessions.id, hashSecret(cookie!)))
        expect((await me(withCookie(cookie!))).status).toBe(200) // 23 h idle: still signed in, and the clock restarts
        await db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 25 * 3600_000) }).where(eq(sessions.id, hashSecret(cookie!)))
        const idle = await me(withCookie(cookie!))
        expect(idle.status).toBe(401)
        expect(idle.body.error).toMatch(/Sign in first/)
        expect(await db.select().from(sessions).where(eq(sessions.id, hashSecret(cookie!)))).toEqual([])
      })

      it('writes last_seen_at at most once a minute', async () => {
        const { cookie } = await signIn(owner.email, owner.password, newAddress())
        const { db } = await getServices()
        const seen = async () => (await db.select().from(sessions).where(eq(sessions.id, hashSecret(cookie!))))[0]!.lastSeenAt.getTime()
        const thirtySecondsAgo = new Date(Date.now() - 30_000)
        await db.update(sessions).set({ lastSeenAt: thirtySecondsAgo }).where(eq(sessions.id, hashSecret(cookie!)))
        await me(withCookie(cookie!))
        expect(await seen()).toBe(thirtySecondsAgo.getTime())
        await db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 90_000) }).where(eq(sessions.id, hashSecret(cookie!)))
        await me(withCookie(cookie!))
        expect(Date.now() - (await seen())).toBeLessThan(5_000)
      })

      it('ends a session at its absolute end, however active', async () => {
        const { cookie } = await signIn(owner.email, owner.password, newAddress())
        const { db } = await getServices()
        const row = (await db.select().from(sessions).where(eq(sessions.id, hashSecret(cookie!))))[0]!
        expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * 86_400_000)
        await db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, hashSecret(cookie!)))
        expect((await me(withCookie(cookie!))).status).toBe(401)
      })

      it('ends the session at sign-out', async () => {
        const { cookie } = await signIn(owner.email, owner.password, newAddress())
        const out = await call(signOutRoute.POST, 'POST', '/api/auth/sign-out', {}, withCookie(cookie!))
        expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/)
        expect((await me(withCookie(cookie!))).status).toBe(401)
      })
    })

    describe('API token expiry', () => {
      const caller = async () => appRouter.createCaller({ services: await getServices(), actor: ownerActor })

      it('creates tokens that expire after the chosen days, or never, and lists the expiry', async () => {
        const tokens = await caller()
        const weekly = await tokens.tokens.create({ name: 'weekly', expiresInDays: 7 })
        const forever = await tokens.tokens.create({ name: 'forever', expiresInDays: null })
        expect(weekly.expiresAt!.getTime() - Date.now()).toBeGreaterThan(7 * 86_400_000 - 10_000)
        expect(forever.expiresAt).toBeNull()
        const listed = await tokens.tokens.list()
        expect(listed.find((t) => t.name === 'weekly')!.expiresAt).toEqual(weekly.expiresAt)
        expect(listed.find((t) => t.name === 'forever')!.expiresAt).toBeNull()
        expect((await me({ token: weekly.token })).status).toBe(200)
        expect((await me({ token: forever.token })).status).toBe(200)
        await expect(tokens.tokens.create({ name: 'bad', expiresInDays: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
        await expect(tokens.tokens.create({ name: 'bad', expiresInDays: 2.5 })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
      })

      it('creates inference-only tokens naming their deployments, refused elsewhere with a 403 saying so', async () => {
        const tokens = await caller()
        const scoped = await tokens.tokens.create({ name: 'kiosk', expiresInDays: 30, infer: { deployments: ['sizes', 'shelf-check'], ratePerSecond: 20 } })
        const listed = (await tokens.tokens.list()).find((t) => t.name === 'kiosk')!
        expect(listed).toMatchObject({ scope: 'infer', deployments: ['sizes', 'shelf-check'], ratePerSecond: 20 })
        const rest = await me({ token: scoped.token })
        expect(rest.status).toBe(403)
        expect(rest.body.error).toMatch(/only call the inference endpoints of "sizes", "shelf-check"/)
        await expect(tokens.tokens.create({ name: 'bad', infer: { deployments: [] } })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
        await expect(tokens.tokens.create({ name: 'bad', infer: { deployments: ['Not A Slug'] } })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
        await expect(tokens.tokens.create({ name: 'bad', infer: { deployments: ['sizes'], ratePerSecond: 0 } })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
      })

      it('answers 401 saying the token expired, on REST and tRPC', async () => {
        const created = await (await caller()).tokens.create({ name: 'short-lived', expiresInDays: 30 })
        const { db } = await getServices()
        await db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(apiTokens.id, created.id))
        const rest = await me({ token: created.token })
        expect(rest.status).toBe(401)
        expect(rest.body.error).toMatch(/^This API token \("short-lived"\) expired on \d{4}-\d\d-\d\dT.*Create a new one on the Tokens page\.$/)
        const trpc = await call(trpcRoute.GET, 'GET', '/api/trpc/tokens.list', { trpc: 'tokens.list' }, { token: created.token })
        expect(trpc.status).toBe(401)
        expect(JSON.stringify(trpc.body)).toMatch(/expired on/)
      })

      it('keeps the setup token non-expiring', async () => {
        const { db } = await getServices()
        const [setupToken] = await db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hashSecret(adminToken)))
        expect(setupToken!.expiresAt).toBeNull()
      })
    })

    describe('changing the password', () => {
      const change = (json: unknown, secret: string) => call(passwordRoute.POST, 'POST', '/api/v1/me/password', {}, { json, ...withCookie(secret) })

      it('needs the current password and a new one as good as at sign-up, and says which field is wrong', async () => {
        await addUser('changer@example.com', 'first password')
        const { cookie } = await signIn('changer@example.com', 'first password', newAddress())
        const wrong = await change({ currentPassword: 'not it at all', newPassword: 'second password' }, cookie!)
        expect(wrong.status).toBe(400)
        expect(wrong.body).toMatchObject({ error: 'currentPassword: is not your current password', path: 'currentPassword' })
        const weak = await change({ currentPassword: 'first password', newPassword: 'short' }, cookie!)
        expect(weak.status).toBe(400)
        expect(weak.body.path).toBe('newPassword')
        expect(weak.body.error).toBe('newPassword: must be at least 8 characters')
        const same = await change({ currentPassword: 'first password', newPassword: 'first password' }, cookie!)
        expect(same.status).toBe(400)
        expect(same.body.path).toBe('newPassword')
        const missing = await change({}, cookie!)
        expect(missing.status).toBe(400)
        expect((await call(passwordRoute.POST, 'POST', '/api/v1/me/password', {}, { json: {} })).status).toBe(401)
      })

      it('keeps this session, ends the others, keeps API tokens; the new password signs in, the old one does not', async () => {
        const userId = await addUser('mover@example.com', 'old password')
        const here = await signIn('mover@example.com', 'old password', newAddress())
        const elsewhere = await signIn('mover@example.com', 'old password', newAddress())
        const token = await appRouter
          .createCaller({ services: await getServices(), actor: { id: userId, email: 'mover@example.com', name: 'mover', role: 'engineer' } })
          .tokens.create({ name: 'ci', expiresInDays: null })

        const changed = await change({ currentPassword: 'old password', newPassword: 'a brand new password' }, here.cookie!)
        expect(changed.status).toBe(200)
        expect(changed.body).toEqual({ changed: true, endedSessions: 1 })
        expect((await me(withCookie(here.cookie!))).status).toBe(200)
        expect((await me(withCookie(elsewhere.cookie!))).status).toBe(401)
        expect((await me({ token: token.token })).status).toBe(200)
        expect((await signIn('mover@example.com', 'old password', newAddress())).status).toBe(401)
        expect((await signIn('mover@example.com', 'a brand new password', newAddress())).status).toBe(200)
      })

      it('with an API token, ends every session', async () => {
        const userId = await addUser('scripted@example.com', 'old password')
        const browser = await signIn('scripted@example.com', 'old password', newAddress())
        const { token } = await appRouter
          .createCaller({ services: await getServices(), actor: { id: userId, email: 'scripted@example.com', name: 'scripted', role: 'engineer' } })
          .tokens.create({ name: 'cli', expiresInDays: 7 })
        const changed = await call(passwordRoute.POST, 'POST', '/api/v1/me/password', {}, { token, json: { currentPassword: 'old password', newPassword: 'newer password' } })
        expect(changed.body).toEqual({ changed: true, endedSessions: 1 })
        expect((await me(withCookie(browser.cookie!))).status).toBe(401)
      })
    })

    describe('sign-in limits', () => {
      const tooMany = /^Too many sign-in attempts; try again in \d+ seconds?\.$/

      it('locks an account after 5 wrong passwords, the same way whether or not it exists, and refuses even the right one', async () => {
        await addUser('target@example.com', 'the real password')
        const answers = async (email: string) => {
          const address = newAddress()
          const out: Array<[number, string | null, string]> = []
          for (let i = 0; i < 7; i++) {
            const response = await signIn(email, 'a wrong guess', address)
            out.push([response.status, response.headers.get('retry-after'), response.body.error])
          }
          return out
        }
        const existing = await answers('target@example.com')
        const missing = await answers('nobody-here@example.com')
        expect(existing.map(([status]) => status)).toEqual([401, 401, 401, 401, 401, 429, 429])
        expect(missing).toEqual(existing)
        expect(existing[0]![2]).toBe('That email and password do not match an account.')
        expect(existing[5]![1]).toBe('1')
        expect(existing[5]![2]).toMatch(tooMany)

        const locked = await signIn('target@example.com', 'the real password', newAddress())
        expect(locked.status).toBe(429)
        expect(locked.cookie).toBeUndefined()
        expect(locked.body.retryAfterSeconds).toBeGreaterThanOrEqual(1)

        await sleep(1100)
        const after = await signIn('target@example.com', 'the real password', newAddress())
        expect(after.status).toBe(200)
        // the success cleared the account's count: five more wrong guesses before a lock
        const address = newAddress()
        for (let i = 0; i < 4; i++) expect((await signIn('target@example.com', 'wrong again', address)).status).toBe(401)
        expect((await signIn('target@example.com', 'the real password', address)).status).toBe(200)
      })

      it('doubles the lock with each failure after one', async () => {
        await addUser('doubling@example.com', 'the real password')
        const address = newAddress()
        for (let i = 0; i < 5; i++) await signIn('doubling@example.com', 'wrong', address)
        expect((await signIn('doubling@example.com', 'wrong', address)).headers.get('retry-after')).toBe('1')
        await sleep(1100)
        expect((await signIn('doubling@example.com', 'wrong', address)).status).toBe(401)
        const second = await signIn('doubling@example.com', 'wrong', address)
        expect(second.status).toBe(429)
        expect(second.headers.get('retry-after')).toBe('2')
      })

      it('lets no more than 5 guesses through when they arrive all at once', async () => {
        const address = newAddress()
        const burst = await Promise.all(Array.from({ length: 15 }, () => signIn('burst@example.com', 'wrong', address)))
        expect(burst.filter((r) => r.status === 401)).toHaveLength(5)
        expect(burst.filter((r) => r.status === 429)).toHaveLength(10)
      })

      it('locks a client address after 12 wrong passwords across accounts, and not another address', async () => {
        const address = newAddress()
        for (let i = 0; i < 12; i++) expect((await signIn(`spray-${i}@example.com`, 'wrong', address)).status).toBe(401)
        const next = await signIn('spray-new@example.com', 'wrong', address)
        expect(next.status).toBe(429)
        expect(next.headers.get('retry-after')).toBe('1')
        expect(next.body.error).toMatch(tooMany)
        expect((await signIn(owner.email, owner.password, address)).status).toBe(429)
        expect((await signIn(owner.email, owner.password, newAddress())).status).toBe(200)
      })

      it('counts a right password against neither the account nor the address', async () => {
        const address = newAddress()
        for (let i = 0; i < 20; i++) expect((await signIn(owner.email, owner.password, address)).status).toBe(200)
      })

      it('answers 400, not 500, to a body that is not a sign-in', async () => {
        const response = await call(signInRoute.POST, 'POST', '/api/auth/sign-in', {}, { json: { email: 'a@b.c', password: 'x'.repeat(201) } })
        expect(response.status).toBe(400)
        expect(response.body.path).toBe('password')
      })
    })

    describe('rating links', () => {
      const rate = (token: string, address: string) => call(rateRoute.GET, 'GET', `/api/v1/rate/${token}`, { token }, { headers: { 'x-forwarded-for': address } })

      it('limits unknown tokens per client address, with Retry-After; real links keep working from elsewhere', async () => {
        const invite = await call(invitesRoute.POST, 'POST', '/api/v1/use-cases/invites', {}, { token: adminToken, json: { raterName: 'Dana' } })
        expect(invite.status).toBe(201)
        const address = newAddress()
        for (let i = 0; i < 12; i++) expect((await rate(`pw_rate_guess${i}`, address)).status).toBe(404)
        const locked = await rate('pw_rate_guess-more', address)
        expect(locked.status).toBe(429)
        expect(locked.headers.get('retry-after')).toBe('1')
        expect(locked.body.error).toMatch(/^Too many rating-link attempts; try again in 1 second\.$/)
        const post = await call(rateRoute.POST, 'POST', '/api/v1/rate/x', { token: 'x' }, { json: { ratings: [] }, headers: { 'x-forwarded-for': address } })
        expect(post.status).toBe(429)
        expect((await rate(invite.body.token, newAddress())).status).toBe(200)
        // the link's own use does not count against its address
        const honest = newAddress()
        for (let i = 0; i < 15; i++) expect((await rate(invite.body.token, honest)).status).toBe(200)
      })
    })

    describe('links the app hands out', () => {
      const makeLink = (headers: Record<string, string>) =>
        call(invitesRoute.POST, 'POST', '/api/v1/use-cases/invites', {}, { token: adminToken, json: { raterName: 'Lee' }, headers })

      it(options.publicUrl ? `start with PIPEWRIGHT_PUBLIC_URL (${options.publicUrl})` : "start with the request's own origin when PIPEWRIGHT_PUBLIC_URL is unset", async () => {
        const viaProxy = await makeLink({ 'x-forwarded-host': 'pipewright.example.com', 'x-forwarded-proto': 'https', host: 'localhost:3000' })
        const direct = await makeLink({ host: 'ml.internal:8080' })
        if (options.publicUrl) {
          expect(viaProxy.body.url).toBe(`${options.publicUrl}rate/${viaProxy.body.token}`)
          expect(direct.body.url).toBe(`${options.publicUrl}rate/${direct.body.token}`)
        } else {
          expect(viaProxy.body.url).toBe(`https://pipewright.example.com/rate/${viaProxy.body.token}`)
          expect(direct.body.url).toBe(`http://ml.internal:8080/rate/${direct.body.token}`)
          const garbage = await makeLink({ 'x-forwarded-host': 'evil.example/<script>', host: 'ml.internal:8080' })
          expect(garbage.body.url).toBe(`http://ml.internal:8080/rate/${garbage.body.token}`)
        }
      })
    })

    it('documents POST /api/v1/me/password and the 429 answers in the OpenAPI document', async () => {
      const document = await (await openapiRoute.GET()).json()
      const change = document.paths['/api/v1/me/password'].post
      expect(change.requestBody.content['application/json'].schema.required.sort()).toEqual(['currentPassword', 'newPassword'])
      expect(Object.keys(change.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']))
      expect(Object.keys(document.paths['/api/v1/rate/{token}'].get.responses)).toContain('429')
    })
  })
}
