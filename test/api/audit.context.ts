import { asc, gt } from 'drizzle-orm'
import { expect } from 'vitest'
import { auditLog } from '@/db/schema'
import { appRouter } from '@/server/api/root'
import { createContext } from '@/server/api/trpc'
import type { Actor } from '@/server/auth/permissions'
import { getServices } from '@/server/services'
import { call } from '../harness/routes'

// imported by audit.test.ts (PGlite) and audit.postgres.test.ts after they set the environment
export const routes = {
  setup: await import('@/app/api/v1/setup/route'),
  users: await import('@/app/api/v1/users/route'),
  user: await import('@/app/api/v1/users/[userId]/route'),
  me: await import('@/app/api/v1/me/route'),
  audit: await import('@/app/api/v1/audit/route'),
  auditCsv: await import('@/app/api/v1/audit/csv/route'),
}

/** The team: an API token and the account of the owner (admin) and of one user per role. */
export interface Member {
  actor: Actor
  token: string
  tokenName: string
}
export const team: Record<'admin' | 'engineer' | 'operator' | 'pm', Member> = {} as never

/** A tRPC caller as the browser is: signed in with a session cookie. */
export async function browserCaller(member: Member) {
  return appRouter.createCaller({ services: await getServices(), actor: member.actor, client: 'browser session' })
}

/** A tRPC caller built the way the fetch handler builds it, from a request carrying the member's token. */
export async function tokenCaller(member: Member) {
  const req = new Request('http://localhost/api/trpc', { headers: { authorization: `Bearer ${member.token}` } })
  return appRouter.createCaller(await createContext({ req }))
}

let lastSeenId = 0

/** Entries written since the previous call: each test step checks exactly what it added. */
export async function newEntries() {
  const { db } = await getServices()
  const rows = await db.select().from(auditLog).where(gt(auditLog.id, lastSeenId)).orderBy(asc(auditLog.id))
  lastSeenId = rows.at(-1)?.id ?? lastSeenId
  return rows
}

export const actionsSeen = new Set<string>()

/** The step added one entry, and it says this: who, from which client, what, and how it ended. */
export async function expectLoggedOnce(expected: { action: string; actor: string; client: string; outcome?: 'ok' | 'refused'; target?: string | RegExp }) {
  const entries = await newEntries()
  expect(entries.map((e) => `${e.action} by ${e.actor} (${e.outcome})`)).toEqual([`${expected.action} by ${expected.actor} (${expected.outcome ?? 'ok'})`])
  const entry = entries[0]!
  expect(entry.client).toBe(expected.client)
  if (expected.target instanceof RegExp) expect(entry.target).toMatch(expected.target)
  else if (expected.target !== undefined) expect(entry.target).toBe(expected.target)
  actionsSeen.add(expected.action)
  return entry
}

export async function expectNothingLogged() {
  expect((await newEntries()).map((e) => e.action)).toEqual([])
}

async function addMember(email: string, role: Actor['role']): Promise<Member> {
  const created = await call(routes.users.POST, 'POST', '/api/v1/users', {}, {
    token: team.admin.token,
    json: { email, name: email.split('@')[0], role, password: 'a fine password' },
  })
  expect(created.status).toBe(201)
  const actor: Actor = { id: created.body.id, email, name: created.body.name, role }
  const tokenName = `${role} laptop`
  const { token } = await (await browserCaller({ actor, token: '', tokenName })).tokens.create({ name: tokenName })
  return { actor, token, tokenName }
}

/** Sets up the owner and one user per role; the entries this writes are checked by the first test. */
export async function signUpTeam() {
  const created = await call(routes.setup.POST, 'POST', '/api/v1/setup', {}, { json: { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' } })
  expect(created.status).toBe(201)
  team.admin = { actor: created.body.user, token: created.body.token, tokenName: 'setup' }
  team.engineer = await addMember('eng@example.com', 'engineer')
  team.operator = await addMember('op@example.com', 'operator')
  team.pm = await addMember('pm@example.com', 'pm')
}

export const clientOf = (member: Member) => `token ${JSON.stringify(member.tokenName)}`

export const readAudit = (query: string, token = team.admin.token) => call(routes.audit.GET, 'GET', `/api/v1/audit${query}`, {}, { token })
