import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TRPCError } from '@trpc/server'
import { appRouter } from '@/server/api/root'
import { createApiToken } from '@/server/auth/accounts'
import type { Actor } from '@/server/auth/permissions'
import { closeServices, getServices } from '@/server/services'
import { tempDir } from '../harness/backends'
import { ingestValidatePipeline } from '../harness/data'
import { call } from '../harness/routes'

// the routes read their configuration from the environment, as in production
process.env.PIPEWRIGHT_DATA_DIR = tempDir('users')
process.env.LOG_LEVEL = 'silent'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const setupRoute = await import('@/app/api/v1/setup/route')
const usersRoute = await import('@/app/api/v1/users/route')
const userRoute = await import('@/app/api/v1/users/[userId]/route')
const meRoute = await import('@/app/api/v1/me/route')
const pipelinesRoute = await import('@/app/api/v1/pipelines/route')
const openapiRoute = await import('@/app/api/v1/openapi.json/route')

const owner = { email: 'owner@example.com', password: 'correct horse battery', name: 'Ada Owner' }
let adminToken = ''
let ownerId = ''
const unknownId = '00000000-0000-4000-8000-000000000000'

/** Adds a user through the API as the owner, and gives them a token. */
async function addUser(email: string, role: string) {
  const created = await call(usersRoute.POST, 'POST', '/api/v1/users', {}, { token: adminToken, json: { email, name: email.split('@')[0], role, password: 'a fine password' } })
  expect(created.status).toBe(201)
  const { token } = await createApiToken((await getServices()).db, created.body.id, 'test')
  return { id: created.body.id as string, token }
}

const patchRole = (userId: string, role: unknown, token = adminToken) =>
  call(userRoute.PATCH, 'PATCH', `/api/v1/users/${userId}`, { userId }, { token, json: { role } })
const remove = (userId: string, token = adminToken) => call(userRoute.DELETE, 'DELETE', `/api/v1/users/${userId}`, { userId }, { token })

describe('users and roles (REST API v1)', () => {
  beforeAll(async () => {
    const created = await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: owner })
    expect(created.status).toBe(201)
    adminToken = created.body.token
    ownerId = created.body.user.id
  })

  afterAll(async () => closeServices(await getServices()))

  it('lets an admin add an engineer, who can then create a pipeline with a token', async () => {
    const created = await call(usersRoute.POST, 'POST', '/api/v1/users', {}, {
      token: adminToken,
      json: { email: 'Eng@Example.com', name: 'Grace Engineer', role: 'engineer', password: 'engineer-pass' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ email: 'eng@example.com', name: 'Grace Engineer', role: 'engineer' })
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(created.body).not.toHaveProperty('passwordHash')

    const { token } = await createApiToken((await getServices()).db, created.body.id, 'laptop')
    const me = await call(meRoute.GET, 'GET', '/api/v1/me', {}, { token })
    expect(me.body.user).toMatchObject({ email: 'eng@example.com', role: 'engineer' })
    const pipeline = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, json: ingestValidatePipeline('by-engineer', 'c'.repeat(64)) })
    expect(pipeline.status).toBe(201)

    const listed = await call(usersRoute.GET, 'GET', '/api/v1/users', {}, { token: adminToken })
    expect(listed.status).toBe(200)
    expect(listed.body.users.map((u: { email: string }) => u.email)).toEqual(['owner@example.com', 'eng@example.com'])
    for (const user of listed.body.users) {
      expect(Object.keys(user).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'role'])
    }
  })

  it('answers 409 for an email that is taken, whatever its case', async () => {
    await addUser('taken@example.com', 'pm')
    const again = await call(usersRoute.POST, 'POST', '/api/v1/users', {}, {
      token: adminToken,
      json: { email: 'TAKEN@example.com', name: 'Someone Else', role: 'operator', password: 'another-pass' },
    })
    expect(again.status).toBe(409)
    expect(again.body.error).toBe('A user with the email taken@example.com exists already.')
  })

  it('answers 400 naming the bad field', async () => {
    const good = { email: 'new@example.com', name: 'New', role: 'engineer', password: 'long enough' }
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...good, role: 'superuser' }, 'role'],
      [{ ...good, role: undefined }, 'role'],
      [{ ...good, email: 'not-an-email' }, 'email'],
      [{ ...good, password: 'short' }, 'password'],
      [{ ...good, name: '  ' }, 'name'],
    ]
    for (const [json, path] of cases) {
      const response = await call(usersRoute.POST, 'POST', '/api/v1/users', {}, { token: adminToken, json })
      expect(response.status, path).toBe(400)
      expect(response.body.path).toBe(path)
      expect(response.body.error).toMatch(new RegExp(`^${path}: `))
    }
    const { id } = await addUser('role-typo@example.com', 'operator')
    const badRole = await patchRole(id, 'owner')
    expect(badRole.status).toBe(400)
    expect(badRole.body.path).toBe('role')
    expect(badRole.body.error).toMatch(/admin, engineer, operator, pm/)
    const empty = await call(userRoute.PATCH, 'PATCH', `/api/v1/users/${id}`, { userId: id }, { token: adminToken })
    expect(empty.status).toBe(400)
  })

  it('answers 403 to operators and engineers for every user action', async () => {
    const operator = await addUser('op@example.com', 'operator')
    const engineer = await addUser('eng2@example.com', 'engineer')
    for (const { token } of [operator, engineer]) {
      const list = await call(usersRoute.GET, 'GET', '/api/v1/users', {}, { token })
      expect(list.status).toBe(403)
      expect(list.body.error).toMatch(/may not manage users/)
      const create = await call(usersRoute.POST, 'POST', '/api/v1/users', {}, { token, json: { email: 'x@example.com', name: 'X', role: 'admin', password: 'sneaky-pass' } })
      expect(create.status).toBe(403)
      expect((await patchRole(operator.id, 'admin', token)).status).toBe(403)
      expect((await remove(engineer.id, token)).status).toBe(403)
    }
    const stillOperator = await call(meRoute.GET, 'GET', '/api/v1/me', {}, { token: operator.token })
    expect(stillOperator.body.user.role).toBe('operator')
  })

  it('answers 401 without a token or with an unknown one', async () => {
    expect((await call(usersRoute.GET, 'GET', '/api/v1/users', {})).status).toBe(401)
    expect((await call(usersRoute.POST, 'POST', '/api/v1/users', {}, { json: {} })).status).toBe(401)
    expect((await patchRole(ownerId, 'pm', 'pw_tok_not-a-real-token')).status).toBe(401)
    expect((await call(userRoute.DELETE, 'DELETE', `/api/v1/users/${ownerId}`, { userId: ownerId })).status).toBe(401)
  })

  it('answers 404 for an unknown or malformed user id', async () => {
    for (const userId of [unknownId, 'nope', '../users']) {
      expect((await patchRole(userId, 'pm')).status).toBe(404)
      expect((await remove(userId)).status).toBe(404)
    }
    expect((await patchRole(unknownId, 'pm')).body.error).toMatch(/No user/)
  })

  it('changes a role, and the new role applies to the next request', async () => {
    const user = await addUser('promote@example.com', 'pm')
    const denied = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token: user.token, json: ingestValidatePipeline('by-pm', 'd'.repeat(64)) })
    expect(denied.status).toBe(403)
    const changed = await patchRole(user.id, 'engineer')
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({ id: user.id, role: 'engineer' })
    const allowed = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token: user.token, json: ingestValidatePipeline('by-pm', 'd'.repeat(64)) })
    expect(allowed.status).toBe(201)
  })

  it('removes a user, and their tokens stop working', async () => {
    const user = await addUser('leaver@example.com', 'engineer')
    const removed = await remove(user.id)
    expect(removed.status).toBe(200)
    expect(removed.body).toEqual({ removed: true, id: user.id, email: 'leaver@example.com' })
    expect((await call(meRoute.GET, 'GET', '/api/v1/me', {}, { token: user.token })).status).toBe(401)
    expect((await remove(user.id)).status).toBe(404)
    const listed = await call(usersRoute.GET, 'GET', '/api/v1/users', {}, { token: adminToken })
    expect(listed.body.users.map((u: { email: string }) => u.email)).not.toContain('leaver@example.com')
  })

  describe('the tRPC router the Users page uses', () => {
    const caller = async (actor: Actor | null) => appRouter.createCaller({ services: await getServices(), actor })
    const ownerActor = (): Actor => ({ id: ownerId, email: owner.email, name: owner.name, role: 'admin' })
    const codeOf = (promise: Promise<unknown>) => promise.then(() => 'OK', (error: TRPCError) => error.code)

    it('lists, creates, changes and removes with the same rules as REST', async () => {
      const admin = await caller(ownerActor())
      const created = await admin.users.create({ email: 'trpc@example.com', name: 'Via tRPC', role: 'operator', password: 'trpc-password' })
      expect(created.role).toBe('operator')
      expect((await admin.users.list()).map((u) => u.email)).toContain('trpc@example.com')
      expect((await admin.users.setRole({ id: created.id, role: 'pm' })).role).toBe('pm')

      expect(await codeOf(admin.users.create({ email: 'trpc@example.com', name: 'Again', role: 'pm', password: 'trpc-password' }))).toBe('CONFLICT')
      expect(await codeOf(admin.users.setRole({ id: ownerId, role: 'pm' }))).toBe('CONFLICT')
      expect(await codeOf(admin.users.remove({ id: ownerId }))).toBe('CONFLICT')
      expect(await codeOf(admin.users.remove({ id: unknownId }))).toBe('NOT_FOUND')
      expect(await codeOf(admin.users.setRole({ id: created.id, role: 'root' as never }))).toBe('BAD_REQUEST')

      const asOperator = await caller({ id: created.id, email: created.email, name: created.name, role: 'operator' })
      expect(await codeOf(asOperator.users.list())).toBe('FORBIDDEN')
      expect(await codeOf(asOperator.users.remove({ id: created.id }))).toBe('FORBIDDEN')
      expect(await codeOf((await caller(null)).users.list())).toBe('UNAUTHORIZED')

      expect(await admin.users.remove({ id: created.id })).toMatchObject({ removed: true, email: 'trpc@example.com' })
    })
  })

  describe('guard rails', () => {
    it('keeps the last admin: no demotion, no removal, 409 saying why', async () => {
      const demote = await patchRole(ownerId, 'engineer')
      expect(demote.status).toBe(409)
      expect(demote.body.error).toMatch(/last admin/)
      const removeSelf = await remove(ownerId)
      expect(removeSelf.status).toBe(409)
      const me = await call(meRoute.GET, 'GET', '/api/v1/me', {}, { token: adminToken })
      expect(me.body.user.role).toBe('admin')
    })

    it('refuses to let an admin remove themself, and lets a second admin step in', async () => {
      const second = await addUser('second-admin@example.com', 'admin')
      const removeSelf = await remove(second.id, second.token)
      expect(removeSelf.status).toBe(409)
      expect(removeSelf.body.error).toMatch(/your own account/)

      // with two admins, one may be demoted; then the other is the last one again
      expect((await patchRole(ownerId, 'operator', second.token)).status).toBe(200)
      const lastDemote = await patchRole(second.id, 'pm', second.token)
      expect(lastDemote.status).toBe(409)
      expect(lastDemote.body.error).toMatch(/second-admin@example\.com is the last admin/)
      expect((await remove(ownerId, second.token)).status).toBe(200)
      const left = await call(usersRoute.GET, 'GET', '/api/v1/users', {}, { token: second.token })
      expect(left.body.users.filter((u: { role: string }) => u.role === 'admin').map((u: { email: string }) => u.email)).toEqual(['second-admin@example.com'])
    })
  })

  it('documents the user routes in the OpenAPI document', async () => {
    const document = await (await openapiRoute.GET()).json()
    expect(Object.keys(document.paths['/api/v1/users']).sort()).toEqual(['get', 'post'])
    expect(Object.keys(document.paths['/api/v1/users/{userId}']).sort()).toEqual(['delete', 'parameters', 'patch'])
    expect(document.paths['/api/v1/users'].post.requestBody.content['application/json'].schema.required.sort()).toEqual(['email', 'name', 'password', 'role'])
  })
})
