import { TRPCError } from '@trpc/server'
import { getHTTPStatusCodeFromError } from '@trpc/server/http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appRouter } from '@/server/api/root'
import { createContext, type ProcedureMeta } from '@/server/api/trpc'
import { actions } from '@/server/auth/permissions'
import { openApiDocument } from '@/server/http/openapi'
import type { DocumentedAction } from '@/server/http/openapi-helpers'
import { closeServices, getServices } from '@/server/services'
import { call } from '../harness/routes'
import { expectedOutcome, prepareFixtures, routeFiles, type Credential, type Fixtures, type Outcome, type RouteFile } from './access.context'
import { defaultParams, restExamples, trpcProcedures } from './access.examples'

// the tRPC endpoint is one route for every procedure: the procedures are walked one by one instead
const trpcEndpoint = '/api/trpc/{trpc}'
const documentedActions: readonly string[] = [...actions, 'signed-in', 'public']

interface Operation {
  method: string
  path: string
  action: DocumentedAction
  route: RouteFile
}

/** What went wrong for one caller: the walk collects them all, so one run names every broken route. */
type Mismatch = string

function documentedOperations(routes: RouteFile[]): { operations: Operation[]; problems: string[] } {
  const paths = openApiDocument().paths as unknown as Record<string, Record<string, Record<string, unknown>>>
  const operations: Operation[] = []
  const problems: string[] = []
  for (const route of routes.filter((r) => r.path !== trpcEndpoint)) {
    for (const method of route.methods) {
      const action = paths[route.path]?.[method.toLowerCase()]?.['x-pipewright-action']
      if (typeof action !== 'string' || !documentedActions.includes(action)) {
        problems.push(`${method} ${route.path}: ${action === undefined ? 'not in the OpenAPI document, or without x-pipewright-action' : `unknown action ${JSON.stringify(action)}`}`)
      } else operations.push({ method, path: route.path, action: action as DocumentedAction, route })
    }
  }
  for (const [path, item] of Object.entries(paths)) {
    for (const method of Object.keys(item).filter((key) => key !== 'parameters')) {
      if (!operations.some((op) => op.path === path && op.method === method.toUpperCase())) problems.push(`${method.toUpperCase()} ${path}: in the document, but no route serves it`)
    }
  }
  return { operations, problems }
}

function judge(outcome: Outcome, status: number, message: unknown, alsoFine: number[] = []): string | null {
  if (outcome === 'allowed') {
    if ((status >= 200 && status < 300) || alsoFine.includes(status)) return null
    return `expected it to be allowed, got ${status} ${JSON.stringify(message)}`
  }
  if (status !== outcome) return `expected ${outcome}, got ${status} ${JSON.stringify(message)}`
  if (typeof message !== 'string' || !message) return `a ${status} without a message saying why`
  return null
}

async function restCall(op: Operation, credential: Credential, fixtures: Fixtures) {
  const example = (await restExamples[`${op.method} ${op.path}`]?.(fixtures)) ?? {}
  const params = { ...defaultParams(fixtures), ...example.params }
  const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? `{${name}}`)) + (example.query ?? '')
  const used = Object.fromEntries([...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, params[name!]!]))
  const answer = await call(op.route.module[op.method]!, op.method, url, used, { token: credential.token, json: example.json, body: example.body })
  return { ...answer, alsoFine: example.alsoFine }
}

interface ProcedureEntry {
  path: string
  type: string
  action: unknown
}

function procedures(): ProcedureEntry[] {
  return Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string; meta?: ProcedureMeta } }>).map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
    action: procedure._def.meta?.action,
  }))
}

/** Calls a procedure as the app does: the context is built from a request carrying the credential. */
async function trpcCall(path: string, input: unknown, credential: Credential): Promise<{ status: number; message?: string }> {
  const headers: Record<string, string> = credential.token ? { authorization: `Bearer ${credential.token}` } : {}
  const caller = appRouter.createCaller(await createContext({ req: new Request('http://localhost/api/trpc', { headers }) }))
  const procedure = path.split('.').reduce<any>((node, key) => node[key], caller) // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    const result = await procedure(input)
    // a subscription answers an async iterable; stop it before it polls
    if (result && typeof result === 'object' && Symbol.asyncIterator in result) await (result as AsyncGenerator).return?.(undefined)
    return { status: 200 }
  } catch (error) {
    if (error instanceof TRPCError) return { status: getHTTPStatusCodeFromError(error), message: error.message }
    throw error
  }
}

export function accessSuite(backendName: string, cleanUp?: () => Promise<void>) {
  describe(`the access matrix, walked over every route (${backendName})`, () => {
    let fixtures: Fixtures
    let routes: RouteFile[]

    beforeAll(async () => {
      routes = await routeFiles()
      fixtures = await prepareFixtures()
    })

    afterAll(async () => {
      await closeServices(await getServices())
      await cleanUp?.()
    })

    it('finds every method of every route file in the OpenAPI document, each with the action it needs', () => {
      const { operations, problems } = documentedOperations(routes)
      expect(problems).toEqual([])
      expect(operations.length).toBeGreaterThan(0)
    })

    it('answers every REST operation as the table says: 401 without a valid token, 403 for a role without the action, success otherwise', async () => {
      const { operations } = documentedOperations(routes)
      const mismatches: Mismatch[] = []
      let requests = 0
      for (const op of operations) {
        for (const credential of fixtures.credentials) {
          const answer = await restCall(op, credential, fixtures)
          requests++
          const problem = judge(expectedOutcome(op.action, credential), answer.status, answer.body?.error, answer.alsoFine)
          if (problem) mismatches.push(`${op.method} ${op.path} (${op.action}) as ${credential.label}: ${problem}`)
        }
      }
      expect(mismatches).toEqual([])
      expect(requests).toBe(operations.length * fixtures.credentials.length)
      console.info(`access walk (${backendName}): ${operations.length} REST operations × ${fixtures.credentials.length} callers = ${requests} requests`)
    })

    it('finds every tRPC procedure in the table of access.examples.ts, needing the action it names there', () => {
      const problems = procedures()
        .filter((p) => p.action !== trpcProcedures[p.path]?.[0])
        .map((p) => `${p.path}: procedureFor(${JSON.stringify(p.action)}), the table says ${JSON.stringify(trpcProcedures[p.path]?.[0])}`)
      expect(problems).toEqual([])
      expect(Object.keys(trpcProcedures).filter((path) => !procedures().some((p) => p.path === path))).toEqual([])
    })

    it('answers every tRPC procedure as the table says, for every caller', async () => {
      const mismatches: Mismatch[] = []
      let requests = 0
      for (const procedure of procedures()) {
        const [action, input] = trpcProcedures[procedure.path]!
        for (const credential of fixtures.credentials) {
          const answer = await trpcCall(procedure.path, await input(fixtures), credential)
          requests++
          const problem = judge(expectedOutcome(action, credential), answer.status, answer.message)
          if (problem) mismatches.push(`${procedure.type} ${procedure.path} (${action}) as ${credential.label}: ${problem}`)
        }
      }
      expect(mismatches).toEqual([])
      console.info(`access walk (${backendName}): ${requests / fixtures.credentials.length} tRPC procedures × ${fixtures.credentials.length} callers = ${requests} calls`)
    })

    it('tells a refused caller which role they have and what it may not do', async () => {
      const users = routes.find((r) => r.path === '/api/v1/users')!
      const refused = await call(users.module.GET!, 'GET', '/api/v1/users', {}, { token: fixtures.tokens.pm })
      expect(refused.status).toBe(403)
      expect(refused.body.error).toBe('Your role (pm) may not manage users.')
      const anonymous = await call(users.module.GET!, 'GET', '/api/v1/users', {})
      expect(anonymous.body.error).toMatch(/^Sign in first/)
    })
  })
}
