import type { Role } from '@/db/schema'

export const actions = [
  'pipeline:read',
  'pipeline:edit',
  'pipeline:run',
  'artifact:read',
  'artifact:upload',
  'token:manage-own',
  'user:manage',
  'use-case:read',
  'use-case:rate',
  'use-case:edit',
  'audit:read',
] as const
export type Action = (typeof actions)[number]

const everyone: Action[] = ['pipeline:read', 'artifact:read', 'token:manage-own', 'use-case:read', 'use-case:rate']

const grants: Record<Role, ReadonlySet<Action>> = {
  admin: new Set(actions),
  engineer: new Set([...everyone, 'pipeline:edit', 'pipeline:run', 'artifact:upload']),
  operator: new Set(everyone),
  pm: new Set([...everyone, 'use-case:edit']),
}

/** What each role may do, in words, for the people who hand roles out. Keep in step with `grants`. */
export const roleSummaries: Record<Role, { label: string; description: string }> = {
  admin: { label: 'Admin', description: 'everything, and manages users and roles' },
  engineer: { label: 'Engineer', description: 'builds, edits and runs pipelines; uploads data' },
  operator: { label: 'Operator', description: 'read-only: pipelines, runs and outputs' },
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

export function can(actor: Actor, action: Action): boolean {
  return grants[actor.role].has(action)
}

/** The one permission check behind every tRPC procedure and REST route. */
export function authorize(actor: Actor | null, action: Action): Actor {
  if (!actor) throw new AuthError(401, 'Sign in first, or send an API token as "Authorization: Bearer <token>".')
  if (!can(actor, action)) {
    throw new AuthError(403, `Your role (${actor.role}) may not ${describe(action)}.`)
  }
  return actor
}

function describe(action: Action): string {
  const [noun, verb] = action.split(':')
  return `${verb} ${noun}s`.replace('manage-own tokens', 'manage its tokens')
}
