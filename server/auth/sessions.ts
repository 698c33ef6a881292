import { and, eq, lt, ne, or } from 'drizzle-orm'
import type { Db } from '@/db'
import { sessions, users } from '@/db/schema'
import { env, type Env } from '@/server/env'
import { toActor, type Actor } from './actor-row'
import { hashSecret, newSecret } from './secrets'

export const sessionCookieName = 'pw_session'

/** How long a browser stays signed in: an absolute end, and an end after a pause. */
export interface SessionLimits {
  maxAgeMs: number
  idleMs: number
}

export function sessionLimits(
  config: Pick<Env, 'PIPEWRIGHT_SESSION_DAYS' | 'PIPEWRIGHT_SESSION_IDLE_HOURS'> = env(),
): SessionLimits {
  return { maxAgeMs: config.PIPEWRIGHT_SESSION_DAYS * 86_400_000, idleMs: config.PIPEWRIGHT_SESSION_IDLE_HOURS * 3_600_000 }
}

/**
 * `last_seen_at` is written at most this often per session: a page load makes many requests,
 * and a write per request would cost more than the minute of idle-timeout precision it buys.
 */
const touchEveryMs = 60_000

export async function createSession(
  db: Db,
  userId: string,
  limits: SessionLimits = sessionLimits(),
  now = new Date(),
): Promise<{ secret: string; expiresAt: Date }> {
  const secret = newSecret('pw_ses_')
  const expiresAt = new Date(now.getTime() + limits.maxAgeMs)
  await db.insert(sessions).values({ id: hashSecret(secret), userId, expiresAt, createdAt: now, lastSeenAt: now })
  // ended sessions are deleted when next used; the ones never used again go now and then
  if (Math.random() < 0.05) await pruneSessions(db, limits, now)
  return { secret, expiresAt }
}

export async function endSession(db: Db, secret: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, hashSecret(secret)))
}

/** Ends every session of a user except the one with `keepSecret` (the browser that asked). */
export async function endOtherSessions(db: Db, userId: string, keepSecret: string | null): Promise<number> {
  const others = keepSecret ? and(eq(sessions.userId, userId), ne(sessions.id, hashSecret(keepSecret))) : eq(sessions.userId, userId)
  const ended = await db.delete(sessions).where(others).returning({ id: sessions.id })
  return ended.length
}

/** The signed-in user, or null when the session is unknown, past its absolute end or idle for too long. */
export async function actorFromSession(db: Db, secret: string, limits = sessionLimits(), now = new Date()): Promise<Actor | null> {
  const id = hashSecret(secret)
  const [row] = await db
    .select({ user: users, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
  if (!row) return null
  if (row.expiresAt <= now || now.getTime() - row.lastSeenAt.getTime() >= limits.idleMs) {
    await db.delete(sessions).where(eq(sessions.id, id))
    return null
  }
  if (now.getTime() - row.lastSeenAt.getTime() >= touchEveryMs) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id))
  }
  return toActor(row.user)
}

/** Drops sessions that can no longer be used; called now and then, so the table does not grow forever. */
export async function pruneSessions(db: Db, limits = sessionLimits(), now = new Date()): Promise<void> {
  const idleSince = new Date(now.getTime() - limits.idleMs)
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, idleSince)))
}
