import { eq, sql } from 'drizzle-orm'
import type { Db } from '@/db'
import { artifacts } from '@/db/schema'

export type ArtifactRow = typeof artifacts.$inferSelect
export type NewArtifact = typeof artifacts.$inferInsert

/**
 * Idempotent: the same bytes recorded twice are one artifact. Bytes first seen as a plain file (an
 * upload, a blob) and later published as a dataset, report or model take the richer kind and its
 * metadata, so a step's output never reads as "just a file"; the upload's filename and owner stay.
 */
export async function recordArtifact(db: Db, artifact: NewArtifact): Promise<void> {
  await db
    .insert(artifacts)
    .values(artifact)
    .onConflictDoUpdate({
      target: artifacts.id,
      set: {
        kind: sql`excluded.kind`,
        mediaType: sql`excluded.media_type`,
        rowCount: sql`excluded.row_count`,
        schema: sql`excluded.schema`,
        filename: sql`coalesce(${artifacts.filename}, excluded.filename)`,
      },
      setWhere: sql`${artifacts.kind} = 'file' AND excluded.kind <> 'file'`,
    })
}

export async function findArtifact(db: Db, id: string): Promise<ArtifactRow | undefined> {
  const [row] = await db.select().from(artifacts).where(eq(artifacts.id, id))
  return row
}
