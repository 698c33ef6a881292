// What people write on a model version: a description and tags. Unlike its file, metadata and
// lineage (fixed at registration) these change, as in MLflow; each change is audited by the route.
import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '@/db'
import { models, modelVersions } from '@/db/schema'
import { NotFoundError } from '@/server/errors'
import { text } from '@/server/validation/text'

const tag = text({ max: 64, min: 1, minMessage: 'a tag is empty' }).regex(
  /^[\p{L}\p{N}][\p{L}\p{N} ._:/=+-]*$/u,
  'a tag starts with a letter or digit and holds letters, digits, spaces and . _ : / = + -',
)

/** The PATCH body: either or both; `description: null` clears it, `tags: []` removes them all. */
export const versionNotesBody = z
  .strictObject({
    description: text({ max: 5000 }).nullable().optional(),
    tags: z
      .array(tag)
      .max(50, 'at most 50 tags')
      .refine((tags) => new Set(tags.map((t) => t.toLowerCase())).size === tags.length, 'each tag once (tags ignore case)')
      .optional(),
  })
  .refine((body) => body.description !== undefined || body.tags !== undefined, 'send "description", "tags" or both')
export type VersionNotes = z.output<typeof versionNotesBody>

export interface NotesChange {
  before: { description: string | null; tags: string[] }
  after: { description: string | null; tags: string[] }
}

export async function updateVersionNotes(db: Db, name: string, version: number, notes: VersionNotes): Promise<NotesChange> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ modelId: modelVersions.modelId, description: modelVersions.description, tags: modelVersions.tags })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(and(eq(models.name, name), eq(modelVersions.version, version)))
      .for('update')
    if (!row) throw new NotFoundError(`Model "${name}" has no version ${version}.`)
    const description = notes.description === undefined ? row.description : notes.description === '' ? null : notes.description
    const tags = notes.tags ?? row.tags
    await tx.update(modelVersions).set({ description, tags }).where(and(eq(modelVersions.modelId, row.modelId), eq(modelVersions.version, version)))
    return { before: { description: row.description, tags: row.tags }, after: { description, tags } }
  })
}
