import { eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { useCaseHistory, useCases } from '@/db/schema'
import type { UseCaseFields } from './model'
import { NotFoundError } from '@/server/errors'

export type UseCaseRow = typeof useCases.$inferSelect

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export async function recordHistory(db: Db | Tx, useCaseId: string, actorId: string | undefined, summary: string, changes: object = {}) {
  await db.insert(useCaseHistory).values({ useCaseId, actorId, summary, changes })
}

export async function findRow(db: Db, id: string): Promise<UseCaseRow> {
  const [row] = await db.select().from(useCases).where(eq(useCases.id, id))
  if (!row) throw new NotFoundError(`No use case with id ${id}.`)
  return row
}


function changedFields(before: UseCaseFields, after: UseCaseFields): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {}
  for (const key of Object.keys(after) as (keyof UseCaseFields)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { before: before[key], after: after[key] }
  }
  return changes
}

/**
 * Stores the new fields and what changed, field by field, in the history; `note` says where the
 * change came from (" (CSV import)"). Nothing is written when nothing changed.
 */
export async function writeFields(tx: Tx, id: string, before: UseCaseFields, after: UseCaseFields, actorId?: string, note = ''): Promise<boolean> {
  const changed = changedFields(before, after)
  if (Object.keys(changed).length === 0) return false
  await tx.update(useCases).set({ title: after.title, status: after.status, fields: after, updatedAt: new Date() }).where(eq(useCases.id, id))
  await recordHistory(tx, id, actorId, `Changed ${Object.keys(changed).join(', ')}${note}`, changed)
  return true
}
