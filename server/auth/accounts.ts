import { and, count, desc, eq, gt, sql } from 'drizzle-orm'
import { z } from 'zod'
import { text } from '@/server/validation/text'
import type { Db } from '@/db'
import { apiTokens, roles, sessions, users } from '@/db/schema'
import { hashPassword, verifyPassword } from './password'
import type { Actor } from './permissions'
import { hashSecret, newSecret } from './secrets'

export const sessionCookieName = 'pw_session'
const sessionDays = 30

export const newUserInput = z.object({
  email: z.email().max(200).transform((e) => e.toLowerCase()),
  password: text({ min: 8, max: 200, trim: false, minMessage: 'must be at least 8 characters' }),
  name: text({ min: 1, max: 100, minMessage: 'enter a name' }),
})

export class SetupDoneError extends Error {
  override name = 'SetupDoneError'
  constructor() {
    super('Setup is done: an account exists already. Sign in instead.')
  }
}

export async function hasAnyUser(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users)
  return (row?.n ?? 0) > 0
}

/** First run: the first account becomes the owner (admin). Its first step happens elsewhere (a token, a session). */
export async function setupOwner(db: Db, input: z.infer<typeof newUserInput>): Promise<Actor> {
  const passwordHash = await hashPassword(input.password)
  const actor = await db.transaction(async (tx) => {
    // serialises concurrent first runs: only one can see an empty table
    await tx.execute(sql`lock table users in exclusive mode`)
    if (await hasAnyUser(tx as unknown as Db)) throw new SetupDoneError()
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name, role: 'admin', passwordHash })
      .returning()
    return toActor(user!)
  })
  return actor
}

export async function createUser(
  db: Db,
  input: z.infer<typeof newUserInput> & { role: (typeof roles)[number] },
): Promise<Actor> {
  const passwordHash = await hashPassword(input.password)
  const [user] = await db
    .insert(users)
    .values({ email: input.email, name: input.name, role: input.role, passwordHash })
    .returning()
  return toActor(user!)
}

export async function checkPassword(db: Db, email: string, password: string): Promise<Actor | null> {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()))
  if (!user) {
    await hashPassword(password) // same work either way: timing does not reveal which emails exist
    return null
  }
  return (await verifyPassword(password, user.passwordHash)) ? toActor(user) : null
}

export async function createSession(db: Db, userId: string): Promise<{ secret: string; expiresAt: Date }> {
  const secret = newSecret('pw_ses_')
  const expiresAt = new Date(Date.now() + sessionDays * 86_400_000)
  await db.insert(sessions).values({ id: hashSecret(secret), userId, expiresAt })
  return { secret, expiresAt }
}

export async function endSession(db: Db, secret: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, hashSecret(secret)))
}

export async function actorFromSession(db: Db, secret: string): Promise<Actor | null> {
  const [row] = await db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, hashSecret(secret)), gt(sessions.expiresAt, new Date())))
  return row ? toActor(row.user) : null
}

export async function createApiToken(
  db: Db,
  userId: string,
  name: string,
): Promise<{ id: string; token: string; prefix: string }> {
  const token = newSecret('pw_tok_')
  const prefix = token.slice(0, 11)
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, name, tokenHash: hashSecret(token), prefix })
    .returning({ id: apiTokens.id })
  return { id: row!.id, token, prefix }
}

export async function actorFromApiToken(db: Db, token: string): Promise<Actor | null> {
  const [row] = await db
    .select({ user: users, tokenId: apiTokens.id })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hashSecret(token)))
  if (!row) return null
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId))
  return toActor(row.user)
}

export async function listApiTokens(db: Db, userId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt))
}

export async function revokeApiToken(db: Db, userId: string, tokenId: string): Promise<boolean> {
  const deleted = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id })
  return deleted.length > 0
}

function toActor(user: typeof users.$inferSelect): Actor {
  return { id: user.id, email: user.email, name: user.name, role: user.role }
}
