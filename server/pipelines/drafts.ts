import { and, eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { pipelineDrafts } from '@/db/schema'
import { getPipeline, PipelineInvalidError } from './pipelines'

/** The largest draft kept, as serialised JSON. */
export const maxDraftBytes = 5 * 1024 * 1024

export interface Draft {
  /** the version the edits started from */
  baseVersion: number
  /** the canvas's pipeline file as it was; it need not compile, nor even have the right shape beyond `nodes` */
  file: Record<string, unknown>
  updatedAt: Date
}

/**
 * Keep a user's unsaved edits of a pipeline (one draft per user and pipeline; a later save replaces it).
 * Saving a version discards the saver's draft; so does `discardDraft`.
 */
export async function saveDraft(
  db: Db,
  pipelineId: string,
  userId: string,
  draft: { baseVersion: number; file: unknown },
): Promise<{ updatedAt: Date }> {
  const file = checkDraftFile(draft.file)
  const pipeline = await getPipeline(db, pipelineId)
  if (!Number.isInteger(draft.baseVersion) || draft.baseVersion < 1 || draft.baseVersion > pipeline.headVersion) {
    const message = `the draft's base version must be one of this pipeline's versions, 1 to ${pipeline.headVersion} (got ${JSON.stringify(draft.baseVersion)})`
    throw new PipelineInvalidError([{ code: 'invalid_file', message, path: ['baseVersion'] }])
  }
  const updatedAt = new Date()
  await db
    .insert(pipelineDrafts)
    .values({ pipelineId, userId, baseVersion: draft.baseVersion, file, updatedAt })
    .onConflictDoUpdate({ target: [pipelineDrafts.pipelineId, pipelineDrafts.userId], set: { baseVersion: draft.baseVersion, file, updatedAt } })
  return { updatedAt }
}

/** The user's draft of the pipeline, or null when they have none. */
export async function getDraft(db: Db, pipelineId: string, userId: string): Promise<Draft | null> {
  await getPipeline(db, pipelineId)
  const [row] = await db
    .select({ baseVersion: pipelineDrafts.baseVersion, file: pipelineDrafts.file, updatedAt: pipelineDrafts.updatedAt })
    .from(pipelineDrafts)
    .where(and(eq(pipelineDrafts.pipelineId, pipelineId), eq(pipelineDrafts.userId, userId)))
  return row ? { ...row, file: row.file as Record<string, unknown> } : null
}

/** Drops the user's draft of the pipeline; `discarded` says whether there was one. */
export async function discardDraft(db: Db, pipelineId: string, userId: string): Promise<{ discarded: boolean }> {
  await getPipeline(db, pipelineId)
  const removed = await db
    .delete(pipelineDrafts)
    .where(and(eq(pipelineDrafts.pipelineId, pipelineId), eq(pipelineDrafts.userId, userId)))
    .returning({ pipelineId: pipelineDrafts.pipelineId })
  return { discarded: removed.length > 0 }
}

/** A draft is any JSON object with a `nodes` list, at most `maxDraftBytes` serialised; its errors read like the compiler's. */
function checkDraftFile(file: unknown): Record<string, unknown> {
  const refuse = (message: string, path: (string | number)[] = []): never => {
    throw new PipelineInvalidError([{ code: 'invalid_file', message, path }])
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file)) {
    return refuse(`a draft must be a pipeline file (a JSON object), not ${Array.isArray(file) ? 'a list' : file === null ? 'null' : typeof file}`)
  }
  const record = file as Record<string, unknown>
  if (!Array.isArray(record.nodes)) return refuse('field "nodes" must be a list of nodes, even an empty one', ['nodes'])
  let json: string
  try {
    json = JSON.stringify(record)
  } catch (error) {
    return refuse(`the draft cannot be stored as JSON (${(error as Error).message})`)
  }
  const bytes = Buffer.byteLength(json)
  if (bytes > maxDraftBytes) {
    return refuse(`the draft is ${(bytes / 1024 / 1024).toFixed(1)} MB; a draft may be at most ${maxDraftBytes / 1024 / 1024} MB`)
  }
  // what JSON keeps, so the stored draft is exactly what a reload gives back
  return JSON.parse(json) as Record<string, unknown>
}
