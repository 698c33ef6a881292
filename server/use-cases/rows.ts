import { eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { useCaseHistory, useCases } from '@/db/schema'
import { NotFoundError } from '@/server/pipelines/pipelines'

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

