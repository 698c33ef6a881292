import { createHash } from 'node:crypto'
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { Db } from '@/db'
import { authThrottle } from '@/db/schema'
import { env, type Env } from '@/server/env'

/**
 * Brute-force limits for anything that checks a guessable secret (passwords, rating links).
 *
 * Each key (an account, a client address) counts attempts that have not proven good. The
 * attempt is counted *before* the secret is checked, so a burst of simultaneous requests cannot
 * all slip past a lock that the first failures are about to set. From the `limit`-th attempt on,
 * each allowed attempt also sets a lock, up front, that doubles every time (first lock … one
 * hour); a success lifts it again. State lives in the database, so every web process shares it.
 */

export interface ThrottleRule {
  /** attempts allowed before the first lock */
  limit: number
  /** counts are forgotten once this long passes without a lock */
  windowMs: number
  firstLockMs: number
  maxLockMs: number
}

export interface SignInRules {
  account: ThrottleRule
  client: ThrottleRule
}

const maxLockMs = 3_600_000

export function signInRules(config: Env = env()): SignInRules {
  const shared = {
    windowMs: config.PIPEWRIGHT_SIGN_IN_WINDOW_MINUTES * 60_000,
    firstLockMs: config.PIPEWRIGHT_SIGN_IN_LOCK_SECONDS * 1000,
    maxLockMs: Math.max(maxLockMs, config.PIPEWRIGHT_SIGN_IN_LOCK_SECONDS * 1000),
  }
  return {
    account: { ...shared, limit: config.PIPEWRIGHT_SIGN_IN_MAX_FAILURES },
    client: { ...shared, limit: config.PIPEWRIGHT_SIGN_IN_MAX_FAILURES_PER_CLIENT },
  }
}

/**
 * The key of an e-mail address: a hash, and the same whether or not an account has it, so a
 * lock never tells anyone which addresses exist (and the table holds no addresses).
 */
export const accountKey = (email: string) => `account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`
export const clientKey = (address: string) => `client:${address}`
export const rateLinkKey = (address: string) => `rate-link:${address}`

/** Refused: the key is locked for `retryAfterSeconds` more. Answered as 429 with Retry-After. */
export class TooManyAttemptsError extends Error {
  override name = 'TooManyAttemptsError'
  constructor(
    readonly retryAfterSeconds: number,
    what = 'sign-in attempts',
  ) {
    super(`Too many ${what}; try again in ${waitText(retryAfterSeconds)}.`)
  }
}

/** "1 second", "45 seconds", "4 minutes": an hour-long lock reads better than "3600 seconds". */
function waitText(seconds: number): string {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`
  return `${Math.ceil(seconds / 60)} minutes`
}

/** A counted attempt; `succeeded` takes it back. */
export interface Attempt {
  key: string
  /** the lock this attempt set up front, and the one it replaced, to restore on success */
  setLock: Date | null
  previousLock: Date | null
}

type Row = typeof authThrottle.$inferSelect

/** Counts an attempt for `key`, or throws TooManyAttemptsError while the key is locked. */
export async function beginAttempt(db: Db, key: string, rule: ThrottleRule, now = new Date(), what?: string): Promise<Attempt> {
  return db.transaction(async (tx) => {
    await tx.insert(authThrottle).values({ key, failures: 0, firstFailureAt: now }).onConflictDoNothing()
    const [row] = await tx.select().from(authThrottle).where(eq(authThrottle.key, key)).for('update')
    const current = forgetIfStale(row!, rule, now)
    if (current.lockedUntil && current.lockedUntil > now) {
      throw new TooManyAttemptsError(Math.max(1, Math.ceil((current.lockedUntil.getTime() - now.getTime()) / 1000)), what)
    }
    const failures = current.failures + 1
    const setLock = failures >= rule.limit ? new Date(now.getTime() + lockFor(failures, rule)) : null
    await tx
      .update(authThrottle)
      .set({ failures, firstFailureAt: current.firstFailureAt, lockedUntil: setLock ?? current.lockedUntil })
      .where(eq(authThrottle.key, key))
    return { key, setLock, previousLock: current.lockedUntil }
  })
}

/**
 * The attempt was good. `forget`: drop the key's history (an account whose password was just
 * given). Otherwise take back this one attempt only (a client address, which others may share:
 * signing in to one's own account must not reset a count an attacker built up from there).
 */
export async function attemptSucceeded(db: Db, attempt: Attempt, { forget }: { forget: boolean }): Promise<void> {
  if (forget) {
    await db.delete(authThrottle).where(eq(authThrottle.key, attempt.key))
    return
  }
  await db
    .update(authThrottle)
    .set({
      failures: sql`greatest(${authThrottle.failures} - 1, 0)`,
      // lift the lock this attempt set, unless a later attempt has replaced it since
      ...(attempt.setLock
        ? { lockedUntil: sql`case when ${authThrottle.lockedUntil} = ${attempt.setLock.toISOString()}::timestamptz then ${attempt.previousLock?.toISOString() ?? null}::timestamptz else ${authThrottle.lockedUntil} end` }
        : {}),
    })
    .where(eq(authThrottle.key, attempt.key))
}

/** Forgets keys whose failures are old and whose lock (if any) is long over. */
export async function pruneThrottle(db: Db, windowMs: number, now = new Date()): Promise<void> {
  const before = new Date(now.getTime() - windowMs)
  await db
    .delete(authThrottle)
    .where(and(lt(authThrottle.firstFailureAt, before), or(isNull(authThrottle.lockedUntil), lt(authThrottle.lockedUntil, before))))
}

function forgetIfStale(row: Row, rule: ThrottleRule, now: Date): Row {
  const quietSince = Math.max(row.firstFailureAt.getTime(), row.lockedUntil?.getTime() ?? 0)
  if (now.getTime() - quietSince <= rule.windowMs) return row
  return { ...row, failures: 0, firstFailureAt: now, lockedUntil: null }
}

/** The `limit`-th attempt locks for the first lock; each one after doubles it, up to the maximum. */
function lockFor(failures: number, rule: ThrottleRule): number {
  const doublings = Math.min(failures - rule.limit, 30)
  return Math.min(rule.firstLockMs * 2 ** doublings, rule.maxLockMs)
}
