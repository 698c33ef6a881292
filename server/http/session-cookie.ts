import { createSession, sessionCookieName } from '@/server/auth/sessions'
import type { Db } from '@/db'
import { isHttps } from './public-url'

/**
 * A signed-in browser: a fresh session (a new id at every sign-in, so a session id planted
 * before sign-in is worthless) in an HttpOnly, SameSite=Lax cookie; Secure when people reach
 * the app over https, also through a proxy that terminates TLS.
 */
export async function sessionCookieFor(db: Db, userId: string, request: Request): Promise<string> {
  const { secret, expiresAt } = await createSession(db, userId)
  const secure = isHttps(request) ? '; Secure' : ''
  return `${sessionCookieName}=${encodeURIComponent(secret)}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure}`
}

export const clearedSessionCookie = `${sessionCookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`

/** The session secret the request's cookie carries, if any. */
export function sessionSecretOf(request: Request): string | undefined {
  const header = request.headers.get('cookie')
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key !== sessionCookieName) continue
    try {
      return decodeURIComponent(rest.join('='))
    } catch {
      return undefined // a mangled cookie is no session
    }
  }
  return undefined
}
