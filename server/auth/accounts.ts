import { and, count, desc, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { text } from '@/server/validation/text'
import type { Db } from '@/db'
import { apiTokens, roles, users } from '@/db/schema'
import { toActor } from './actor-row'
import { hashPassword, verifyPassword } from './password'
import { AuthError, type Actor } from './permissions'
import { hashSecret, newSecret } from './secrets'

// sessions live in ./sessions; these names stay importable from here
export { actorFromSession, createSession, endSession, sessionCookieName } from './sessions'

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

/** Choices offered when creating a token; the API takes any whole number of days in this range, or none. */
export const tokenExpiryDays = [7, 30, 90, 365] as const
export const tokenExpiryInput = z
  .number({ error: 'must be a number of days, or null for a token that never expires' })
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(3650, 'must be at most 3650 days (10 years)')
  .nullable()

/** An `infer` token may call only the inference endpoints of these deployments, at most this often. */
export interface InferScope {
  deployments: string[]
  ratePerSecond?: number | null
}

export async function createApiToken(
  db: Db,
  userId: string,
  name: string,
  expiresInDays: number | null = null,
  now = new Date(),
  infer?: InferScope,
): Promise<{ id: string; token: string; prefix: string; expiresAt: Date | null }> {
  const token = newSecret('pw_tok_')
  const prefix = token.slice(0, 11)
  const expiresAt = expiresInDays === null ? null : new Date(now.getTime() + expiresInDays * 86_400_000)
  const scope = infer ? { scope: 'infer' as const, deployments: infer.deployments, ratePerSecond: infer.ratePerSecond ?? null } : {}
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, name, tokenHash: hashSecret(token), prefix, expiresAt, ...scope })
    .returning({ id: apiTokens.id })
  return { id: row!.id, token, prefix, expiresAt }
}

/** `last_used_at` is written at most once a minute per token: scripts call in tight loops. */
const touchEveryMs = 60_000

/** The token's owner and the token's name; null for an unknown token; a 401 saying so for an expired one. */
export interface TokenCaller {
  actor: Actor
  tokenId: string
  tokenName: string
  /** set for an `infer` token: what it may call */
  infer: { deployments: string[]; ratePerSecond: number | null } | null
}

export async function callerFromApiToken(db: Db, token: string, now = new Date()): Promise<TokenCaller | null> {
  const [row] = await db
    .select({
      user: users,
      tokenId: apiTokens.id,
      name: apiTokens.name,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      scope: apiTokens.scope,
      deployments: apiTokens.deployments,
      ratePerSecond: apiTokens.ratePerSecond,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hashSecret(token)))
  if (!row) return null
  if (row.expiresAt && row.expiresAt <= now) {
    throw new AuthError(
      401,
      `This API token ("${row.name}") expired on ${row.expiresAt.toISOString()}. Create a new one on the Tokens page.`,
    )
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= touchEveryMs) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId))
  }
  const infer = row.scope === 'infer' ? { deployments: row.deployments ?? [], ratePerSecond: row.ratePerSecond } : null
  return { actor: toActor(row.user), tokenId: row.tokenId, tokenName: row.name, infer }
}

export async function listApiTokens(db: Db, userId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
      scope: apiTokens.scope,
      deployments: apiTokens.deployments,
      ratePerSecond: apiTokens.ratePerSecond,
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
