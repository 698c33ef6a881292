import { actorFromApiToken, actorFromSession, sessionCookieName } from '@/server/auth/accounts'
import type { Actor } from '@/server/auth/permissions'
import type { Services } from '@/server/services'

/** Who is calling: a Bearer API token (REST, CLI) or the browser's session cookie. */
export async function actorFromRequest(services: Services, request: Request): Promise<Actor | null> {
  const header = request.headers.get('authorization')
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    return match ? actorFromApiToken(services.db, match[1]!) : null
  }
  const secret = readCookie(request.headers.get('cookie'), sessionCookieName)
  return secret ? actorFromSession(services.db, secret) : null
}

function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return undefined
}
