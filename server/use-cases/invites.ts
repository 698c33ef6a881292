import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '@/db'
import { useCaseInvites, useCaseRatings, useCases } from '@/db/schema'
import { hashSecret, newSecret } from '@/server/auth/secrets'
import { NotFoundError } from '@/server/errors'
import { inviteInput, inviteRatings } from './model'
import { findRow } from './rows'

/** A one-time link that was used or has expired: 410, with what happened. */
export class GoneError extends Error {
  override name = 'GoneError'
}

export const invitePath = (token: string) => `/rate/${token}`

type InviteRow = typeof useCaseInvites.$inferSelect

export type InviteState = 'open' | 'used' | 'expired'

function stateOf(invite: InviteRow, now: Date): InviteState {
  if (invite.usedAt) return 'used'
  return invite.expiresAt <= now ? 'expired' : 'open'
}

/** Makes a link for someone without an account; the token is shown once and only its hash is kept. */
export async function createInvite(db: Db, input: unknown, actorId?: string) {
  const { raterName, useCaseId, expiresInDays } = inviteInput.parse(input)
  if (useCaseId) await findRow(db, useCaseId)
  const token = newSecret('pw_rate_')
  const expiresAt = new Date(Date.now() + expiresInDays * 24 * 3600 * 1000)
  const [row] = await db.insert(useCaseInvites).values({ tokenHash: hashSecret(token), raterName, useCaseId, createdBy: actorId, expiresAt }).returning()
  return { id: row!.id, raterName, useCaseId, expiresAt, token, path: invitePath(token) }
}

export async function listInvites(db: Db) {
  const rows = await db
    .select({ invite: useCaseInvites, useCaseTitle: useCases.title })
    .from(useCaseInvites)
    .leftJoin(useCases, eq(useCases.id, useCaseInvites.useCaseId))
    .orderBy(desc(useCaseInvites.createdAt))
  const now = new Date()
  return rows.map(({ invite, useCaseTitle }) => ({
    id: invite.id,
    raterName: invite.raterName,
    useCaseId: invite.useCaseId,
    useCaseTitle,
    createdAt: invite.createdAt,
    expiresAt: invite.expiresAt,
    usedAt: invite.usedAt,
    state: stateOf(invite, now),
  }))
}

export async function revokeInvite(db: Db, id: string): Promise<void> {
  const deleted = await db.delete(useCaseInvites).where(eq(useCaseInvites.id, id)).returning({ id: useCaseInvites.id })
  if (deleted.length === 0) throw new NotFoundError(`No rating link with id ${id}.`)
}

async function findInvite(db: Db, token: string): Promise<InviteRow> {
  const [invite] = await db.select().from(useCaseInvites).where(eq(useCaseInvites.tokenHash, hashSecret(token)))
  if (!invite) throw new NotFoundError('This rating link is not valid. Ask the product manager for a new one.')
  const state = stateOf(invite, new Date())
  if (state === 'used') throw new GoneError('This rating link has already been used; each link works once. Ask the product manager for a new one.')
  if (state === 'expired') throw new GoneError('This rating link has expired. Ask the product manager for a new one.')
  return invite
}

/** The use cases a link may rate: the one it names, or every one not retired. */
async function useCasesOf(db: Db, invite: InviteRow) {
  const scope = invite.useCaseId ? eq(useCases.id, invite.useCaseId) : ne(useCases.status, 'retired')
  const rows = await db.select({ id: useCases.id, title: useCases.title, fields: useCases.fields }).from(useCases).where(scope).orderBy(useCases.title)
  return rows.map(({ id, title, fields }) => {
    const { problem, affectedProcess, businessOwner } = fields as Record<string, string>
    return { id, title, problem: problem ?? '', affectedProcess: affectedProcess ?? '', businessOwner: businessOwner ?? '' }
  })
}

/** What the public rating page shows: who is asked, until when, and what to rate. */
export async function openInvite(db: Db, token: string) {
  const invite = await findInvite(db, token)
  return { raterName: invite.raterName, expiresAt: invite.expiresAt, useCases: await useCasesOf(db, invite) }
}

/**
 * Stores the ratings and uses the link up, in one transaction: a second submission, even a
 * concurrent one, finds the link used and stores nothing.
 */
export async function submitInviteRatings(db: Db, token: string, input: unknown): Promise<{ rated: number; inviteId: string; raterName: string; useCaseIds: string[] }> {
  const { ratings } = inviteRatings.parse(input)
  const invite = await findInvite(db, token)
  const allowed = new Set((await useCasesOf(db, invite)).map((u) => u.id))
  const outside = ratings.findIndex((r) => !allowed.has(r.useCaseId))
  if (outside !== -1) {
    const message = 'this link does not cover that use case'
    throw new z.ZodError([{ code: 'custom', path: ['ratings', outside, 'useCaseId'], message, input: ratings[outside]!.useCaseId }])
  }
  await db.transaction(async (tx) => {
    const claimed = await tx
      .update(useCaseInvites)
      .set({ usedAt: new Date() })
      .where(and(eq(useCaseInvites.id, invite.id), isNull(useCaseInvites.usedAt), gt(useCaseInvites.expiresAt, new Date())))
      .returning({ id: useCaseInvites.id })
    if (claimed.length === 0) throw new GoneError('This rating link has already been used; each link works once.')
    await tx.insert(useCaseRatings).values(
      ratings.map((r) => ({ useCaseId: r.useCaseId, raterName: invite.raterName, inviteId: invite.id, severity: r.severity, comment: r.comment })),
    )
  })
  // the link's id and rater are for the audit log; the route answers only `rated`
  return { rated: ratings.length, inviteId: invite.id, raterName: invite.raterName, useCaseIds: ratings.map((r) => r.useCaseId) }
}
