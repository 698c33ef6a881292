import { eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { artifacts } from '@/db/schema'

export type ArtifactRow = typeof artifacts.$inferSelect
export type NewArtifact = typeof artifacts.$inferInsert

/** Idempotent: the same bytes recorded twice are one artifact. */
export async function recordArtifact(db: Db, artifact: NewArtifact): Promise<void> {
  await db.insert(artifacts).values(artifact).onConflictDoNothing()
}

export async function findArtifact(db: Db, id: string): Promise<ArtifactRow | undefined> {
  const [row] = await db.select().from(artifacts).where(eq(artifacts.id, id))
  return row
}
