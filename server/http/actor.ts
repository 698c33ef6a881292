import { eq } from 'drizzle-orm'
import { apiTokens } from '@/db/schema'
import { actorFromApiToken, actorFromSession } from '@/server/auth/accounts'
import type { Actor } from '@/server/auth/permissions'
import { hashSecret } from '@/server/auth/secrets'
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

/**
 * Which client the caller used, for the audit log: `browser session` or `token "<name>"`.
 * Asked only for audited requests, so reads pay nothing; call it before the handler runs, since
 * revoking a token removes its name.
 */
export async function clientFromRequest(services: Services, request: Request): Promise<string> {
  const token = bearerToken(request)
  if (token === undefined) return sessionSecretOf(request) ? 'browser session' : 'anonymous'
  if (!token) return 'malformed authorization header'
  const [row] = await services.db.select({ name: apiTokens.name }).from(apiTokens).where(eq(apiTokens.tokenHash, hashSecret(token)))
  return row ? `token ${JSON.stringify(row.name)}` : 'unknown token'
}

/** undefined: no Authorization header; '': one that is not `Bearer <token>`. */
function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization')
  if (!header) return undefined
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? ''
}
