import type { Db } from '@/db'
import { checkPassword } from './accounts'
import type { Actor } from './permissions'
import { accountKey, attemptSucceeded, beginAttempt, clientKey, pruneThrottle, signInRules, type SignInRules } from './throttle'

/**
 * Checks an e-mail and password under the brute-force limits: per account (whether or not it
 * exists, so a lock reveals nothing) and per client address. Throws TooManyAttemptsError while
 * either is locked, before the password is looked at: a right password is refused too.
 */
export async function signInWithLimits(
  db: Db,
  input: { email: string; password: string; client: string },
  rules: SignInRules = signInRules(),
  now = new Date(),
): Promise<Actor | null> {
  const fromClient = await beginAttempt(db, clientKey(input.client), rules.client, now)
  let forAccount
  try {
    forAccount = await beginAttempt(db, accountKey(input.email), rules.account, now)
  } catch (error) {
    // refused without looking: that answer tells the client nothing, so it costs it nothing
    await attemptSucceeded(db, fromClient, { forget: false })
    throw error
  }
  const actor = await checkPassword(db, input.email, input.password)
  if (actor) {
    await attemptSucceeded(db, forAccount, { forget: true })
    await attemptSucceeded(db, fromClient, { forget: false })
  } else if (Math.random() < 0.02) {
    // keys for made-up addresses would otherwise pile up; now and then, drop the stale ones
    await pruneThrottle(db, Math.max(rules.account.windowMs, rules.client.windowMs) + rules.account.maxLockMs, now)
  }
  return actor
}
