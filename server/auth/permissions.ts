import type { Role } from '@/db/schema'

export const actions = [
  'pipeline:read',
  'pipeline:edit',
  'pipeline:run',
  'artifact:read',
  'artifact:upload',
  'model:read',
  'model:register',
  'deployment:read',
  'deployment:manage',
  'token:manage-own',
  'user:manage',
  'use-case:read',
  'use-case:rate',
  'use-case:edit',
  'audit:read',
] as const
export type Action = (typeof actions)[number]

/**
 * What an operation needs: an action from `grants`, or only a signed-in caller (their own account, `/me`).
 * Public operations (setup, sign-in, rating links) have no requirement and never call `authorize`.
 */
export type Requirement = Action | 'signed-in'

const everyone: Action[] = ['pipeline:read', 'artifact:read', 'model:read', 'deployment:read', 'token:manage-own', 'use-case:read', 'use-case:rate']

/** The access matrix: the single source `authorize` reads, and the access tests walk every route against. */
const grants: Record<Role, ReadonlySet<Action>> = {
  admin: new Set(actions),
  engineer: new Set([...everyone, 'pipeline:edit', 'pipeline:run', 'artifact:upload', 'model:register', 'deployment:manage']),
  operator: new Set([...everyone, 'deployment:manage']),
  pm: new Set([...everyone, 'use-case:edit']),
}

/** What each role may do, in words, for the people who hand roles out. Keep in step with `grants`. */
export const roleSummaries: Record<Role, { label: string; description: string }> = {
  admin: { label: 'Admin', description: 'everything, and manages users and roles' },
  engineer: { label: 'Engineer', description: 'builds, edits and runs pipelines; uploads data; imports models and moves their aliases; deploys models' },
  operator: { label: 'Operator', description: 'deploys models, rolls them out and back, approves deploy steps; read-only on pipelines, runs, outputs and models' },
  pm: { label: 'Product manager', description: 'lists, scores and ranks ML use cases; read-only on pipelines' },
}

export interface Actor {
  id: string
  email: string
  name: string
  role: Role
}

export class AuthError extends Error {
  override name = 'AuthError'
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message)
  }
}

export function can(actor: Actor, requirement: Requirement): boolean {
  return roleMeets(actor.role, requirement)
}

export function roleMeets(role: Role, requirement: Requirement): boolean {
  return requirement === 'signed-in' || grants[role].has(requirement)
}

/** The one permission check behind every tRPC procedure and REST route (pages ask `can`, then show the not-allowed page). */
export function authorize(actor: Actor | null, requirement: Requirement): Actor {
  if (!actor) throw new AuthError(401, 'Sign in first, or send an API token as "Authorization: Bearer <token>".')
  if (!can(actor, requirement)) {
    throw new AuthError(403, `Your role (${actor.role}) may not ${describeAction(requirement as Action)}.`)
  }
  return actor
}

/** "use-case:edit" → "edit use cases", as the 403 message and the not-allowed page say it. */
export function describeAction(action: Action): string {
  const [noun, verb] = action.split(':')
  return `${verb} ${noun!.replace('-', ' ')}s`.replace('manage-own tokens', 'manage its tokens')
}
