import { expect } from 'vitest'
import { createApiToken } from '@/server/auth/accounts'
import { getServices } from '@/server/services'
import { call } from '../harness/routes'

// imported by use-cases.test.ts (PGlite) and use-cases.postgres.test.ts after they set the environment
export const setupRoute = await import('@/app/api/v1/setup/route')
export const usersRoute = await import('@/app/api/v1/users/route')
export const listRoute = await import('@/app/api/v1/use-cases/route')
export const oneRoute = await import('@/app/api/v1/use-cases/[useCaseId]/route')
export const ratingsRoute = await import('@/app/api/v1/use-cases/[useCaseId]/ratings/route')
export const rankingRoute = await import('@/app/api/v1/use-cases/ranking/route')
export const openapiRoute = await import('@/app/api/v1/openapi.json/route')

/** API tokens of the owner (admin), a product manager and an engineer, set by `signUpTeam`. */
export const tokens = { admin: '', pm: '', engineer: '' }

async function addUser(email: string, role: string): Promise<string> {
  const created = await call(usersRoute.POST, 'POST', '/api/v1/users', {}, { token: tokens.admin, json: { email, name: email.split('@')[0], role, password: 'a fine password' } })
  expect(created.status).toBe(201)
  return (await createApiToken((await getServices()).db, created.body.id, 'test')).token
}

export const create = (json: unknown, token = tokens.pm) => call(listRoute.POST, 'POST', '/api/v1/use-cases', {}, { token, json })
export const get = (id: string) => call(oneRoute.GET, 'GET', `/api/v1/use-cases/${id}`, { useCaseId: id }, { token: tokens.admin })
export const rate = (id: string, json: unknown, token: string) => call(ratingsRoute.POST, 'POST', `/api/v1/use-cases/${id}/ratings`, { useCaseId: id }, { token, json })
export const ranking = (strategy: string) => call(rankingRoute.GET, 'GET', `/api/v1/use-cases/ranking?strategy=${strategy}`, {}, { token: tokens.admin })

export async function signUpTeam(): Promise<void> {
  const created = await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' } })
  tokens.admin = created.body.token
  tokens.pm = await addUser('pm@example.com', 'pm')
  tokens.engineer = await addUser('eng@example.com', 'engineer')
}
