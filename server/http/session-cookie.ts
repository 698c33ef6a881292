import { createSession, sessionCookieName } from '@/server/auth/accounts'
import type { Db } from '@/db'

/** A signed-in browser: an httpOnly session cookie. */
export async function sessionCookieFor(db: Db, userId: string, request: Request): Promise<string> {
  const { secret, expiresAt } = await createSession(db, userId)
  const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : ''
  return `${sessionCookieName}=${encodeURIComponent(secret)}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure}`
}

export const clearedSessionCookie = `${sessionCookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`
