import { actorFromSession, callerFromApiToken } from '@/server/auth/accounts'
import type { Actor } from '@/server/auth/permissions'
import type { Services } from '@/server/services'
import { sessionSecretOf } from './session-cookie'

export interface Caller {
  /** null when no credential is valid */
  actor: Actor | null
  /** which client, for the audit log: `browser session`, `token "<name>"`, `unknown token` … */
  client: string
}

/**
 * Who is calling, from a Bearer API token (REST, CLI) or the browser's session cookie, with the
 * client's name read in the same lookup (a token's name is gone once it is revoked, so it is read
 * before the handler runs). An expired token throws a 401 AuthError that says so.
 */
export async function callerFromRequest(services: Services, request: Request): Promise<Caller> {
  const header = request.headers.get('authorization')
  if (header) {
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
    if (!token) return { actor: null, client: 'malformed authorization header' }
    const found = await callerFromApiToken(services.db, token)
    return found ? { actor: found.actor, client: `token ${JSON.stringify(found.tokenName)}` } : { actor: null, client: 'unknown token' }
  }
  const secret = sessionSecretOf(request)
  if (!secret) return { actor: null, client: 'anonymous' }
  return { actor: await actorFromSession(services.db, secret), client: 'browser session' }
}
