import { actorFromSession, callerFromApiToken } from '@/server/auth/accounts'
import type { Actor } from '@/server/auth/permissions'
import type { Services } from '@/server/services'
import { sessionSecretOf } from './session-cookie'

export interface Caller {
  /** null when no credential is valid, and for an infer token (it acts on nothing but inference) */
  actor: Actor | null
  /** which client, for the audit log: `browser session`, `token "<name>"`, `unknown token` … */
  client: string
  /** a token was sent: its id, and what an infer token may call */
  token?: { id: string; name: string; infer: { deployments: string[]; ratePerSecond: number | null } | null }
  /** an Authorization header was sent that names no valid token */
  badCredential?: boolean
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
    if (!token) return { actor: null, client: 'malformed authorization header', badCredential: true }
    const found = await callerFromApiToken(services.db, token)
    if (!found) return { actor: null, client: 'unknown token', badCredential: true }
    const tokenInfo = { id: found.tokenId, name: found.tokenName, infer: found.infer }
    if (found.infer) return { actor: null, client: `infer token ${JSON.stringify(found.tokenName)}`, token: tokenInfo }
    return { actor: found.actor, client: `token ${JSON.stringify(found.tokenName)}`, token: tokenInfo }
  }
  const secret = sessionSecretOf(request)
  if (!secret) return { actor: null, client: 'anonymous' }
  return { actor: await actorFromSession(services.db, secret), client: 'browser session' }
}
