import { eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { modelMetadata } from '@/db/schema'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'

/** The metadata a model artifact was published with; a later publish of the same bytes brings the newer claim. */
export async function recordModelMetadata(db: Db, artifactId: string, metadata: ModelMetadata): Promise<void> {
  await db.insert(modelMetadata).values({ artifactId, metadata }).onConflictDoUpdate({ target: modelMetadata.artifactId, set: { metadata } })
}

export async function findModelMetadata(db: Db, artifactId: string): Promise<ModelMetadata | null> {
  const [row] = await db.select().from(modelMetadata).where(eq(modelMetadata.artifactId, artifactId))
  return row?.metadata ?? null
}
