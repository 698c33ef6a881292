import { eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '@/db'
import { users } from '@/db/schema'
import { newUserInput } from './accounts'
import { hashPassword, verifyPassword } from './password'
import type { Actor } from './permissions'
import { endOtherSessions } from './sessions'
import { accountKey, attemptSucceeded, beginAttempt, signInRules, type SignInRules } from './throttle'

export const passwordChangeInput = z.object({
  currentPassword: z.string({ error: 'enter your current password' }).min(1, 'enter your current password').max(200),
  // the same rule as when the account was made
  newPassword: newUserInput.shape.password,
})

const fieldError = (path: string, message: string, input: unknown) => new z.ZodError([{ code: 'custom', path: [path], message, input }])

/**
 * Sets a new password after checking the current one (guessing it counts against the
 * account's sign-in limit). Every other session of the user ends; the one with `keepSecret`
 * (the browser that asked) stays. API tokens stay: they are separate credentials, revoked on
 * the Tokens page.
 */
export async function changePassword(
  db: Db,
  actor: Actor,
  input: unknown,
  keepSecret: string | null,
  rules: SignInRules = signInRules(),
): Promise<{ endedSessions: number }> {
  const { currentPassword, newPassword } = passwordChangeInput.parse(input)
  const attempt = await beginAttempt(db, accountKey(actor.email), rules.account)
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.id))
  if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw fieldError('currentPassword', 'is not your current password', '')
  }
  await attemptSucceeded(db, attempt, { forget: true })
  if (newPassword === currentPassword) throw fieldError('newPassword', 'must differ from the current password', '')
  await db.update(users).set({ passwordHash: await hashPassword(newPassword) }).where(eq(users.id, actor.id))
  return { endedSessions: await endOtherSessions(db, actor.id, keepSecret) }
}
