import { actorFromApiToken, actorFromSession } from '@/server/auth/accounts'
import type { Actor } from '@/server/auth/permissions'
import type { Services } from '@/server/services'
import { sessionSecretOf } from './session-cookie'

/**
 * Who is calling: a Bearer API token (REST, CLI) or the browser's session cookie.
 * Null when neither is valid; an expired token throws a 401 AuthError that says so.
 */
export async function actorFromRequest(services: Services, request: Request): Promise<Actor | null> {
  const header = request.headers.get('authorization')
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    return match ? actorFromApiToken(services.db, match[1]!) : null
  }
  const secret = sessionSecretOf(request)
  return secret ? actorFromSession(services.db, secret) : null
}
