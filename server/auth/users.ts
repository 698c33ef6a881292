import { asc, count, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '@/db'
import { roles, users, type Role } from '@/db/schema'
import { ConflictError, NotFoundError } from '@/server/errors'
import { newUserInput } from './accounts'
import { hashPassword } from './password'
import type { Actor } from './permissions'

const role = z.enum(roles, { error: `must be one of ${roles.join(', ')}` })

/** An admin adds a user: who they are, their role, and a first password to hand them. */
export const userInput = newUserInput.extend({ role })
export const roleInput = z.object({ role })

/** A user as admins see them: never the password hash. */
export interface UserRow {
  id: string
  email: string
  name: string
  role: Role
  createdAt: Date
}

const columns = { id: users.id, email: users.email, name: users.name, role: users.role, createdAt: users.createdAt }

export async function listUsers(db: Db): Promise<UserRow[]> {
  return db.select(columns).from(users).orderBy(asc(users.createdAt), asc(users.email))
}

export async function addUser(db: Db, input: z.infer<typeof userInput>): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password)
  try {
    const [user] = await db
      .insert(users)
      .values({ email: input.email, name: input.name, role: input.role, passwordHash })
      .returning(columns)
    return user!
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`A user with the email ${input.email} exists already.`)
    throw error
  }
}

/** Changes a role; the last admin keeps theirs, so someone can always manage users. */
export async function setUserRole(db: Db, userId: string, newRole: Role): Promise<UserRow> {
  return db.transaction(async (tx) => {
    const user = await lockAndFind(tx as unknown as Db, userId)
    if (user.role === 'admin' && newRole !== 'admin' && (await adminCount(tx as unknown as Db)) <= 1) {
      throw new ConflictError(
        `${user.email} is the last admin and cannot be demoted until another user is an admin: someone must always be able to manage users.`,
      )
    }
    const [updated] = await tx.update(users).set({ role: newRole }).where(eq(users.id, userId)).returning(columns)
    return updated!
  })
}

/** Removes a user with their sessions and tokens; what they created stays, unattributed. */
export async function removeUser(db: Db, actor: Actor, userId: string): Promise<UserRow> {
  if (userId === actor.id) throw new ConflictError('You cannot remove your own account; another admin can.')
  return db.transaction(async (tx) => {
    const user = await lockAndFind(tx as unknown as Db, userId)
    if (user.role === 'admin' && (await adminCount(tx as unknown as Db)) <= 1) {
      throw new ConflictError(`${user.email} is the last admin and cannot be removed until another user is an admin: someone must always be able to manage users.`)
    }
    await tx.delete(users).where(eq(users.id, userId))
    return user
  })
}

/**
 * Serialises user changes until the transaction ends (the lock conflicts with itself, not with
 * plain reads): two admins demoting each other at once cannot both pass the last-admin check.
 */
async function lockAndFind(tx: Db, userId: string): Promise<UserRow> {
  await tx.execute(sql`lock table users in share row exclusive mode`)
  const [user] = await tx.select(columns).from(users).where(eq(users.id, userId))
  if (!user) throw new NotFoundError(`No user with id ${JSON.stringify(userId)}.`)
  return user
}

async function adminCount(tx: Db): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(users).where(eq(users.role, 'admin'))
  return row?.n ?? 0
}

/** PostgreSQL's unique_violation, whether the driver's error arrives bare or wrapped by drizzle. */
function isUniqueViolation(error: unknown): boolean {
  let current = error
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    if ((current as { code?: unknown }).code === '23505') return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
