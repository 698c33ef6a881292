import type { Db } from '@/db'
import { attemptSucceeded, beginAttempt, rateLinkKey, signInRules, type ThrottleRule } from '@/server/auth/throttle'
import { NotFoundError } from '@/server/errors'

/**
 * Runs `use` (open or submit a rating link) under a per-client limit on unknown tokens: a
 * token is a secret like a password, so guessing is slowed the same way (429 with
 * Retry-After). Only an unknown token counts; a used or expired one is a real link.
 */
export async function withRateLinkLimit<T>(db: Db, client: string, use: () => Promise<T>, rule: ThrottleRule = signInRules().client): Promise<T> {
  const attempt = await beginAttempt(db, rateLinkKey(client), rule, new Date(), 'rating-link attempts')
  try {
    const result = await use()
    await attemptSucceeded(db, attempt, { forget: false })
    return result
  } catch (error) {
    if (!(error instanceof NotFoundError)) await attemptSucceeded(db, attempt, { forget: false })
    throw error
  }
}
