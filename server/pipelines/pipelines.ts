import { and, desc, eq, ne, sql } from 'drizzle-orm'
import type { Db } from '@/db'
import { pipelineDrafts, pipelines, pipelineVersions, users, type RunStatus } from '@/db/schema'
import { compile, type CompileError, type JobPlan } from '@/server/compiler'
import { pipelineFile, type PipelineFile } from '@/server/compiler/pipeline-file'
import { readFile } from '@/server/compiler/read-file'
import { ConflictError, NotFoundError } from '@/server/errors'

export class PipelineInvalidError extends Error {
  override name = 'PipelineInvalidError'
  constructor(readonly errors: CompileError[]) {
    super(errors[0] ? `${errors[0].path.join('.') || '(file)'}: ${errors[0].message}` : 'The pipeline file is invalid.')
  }
}

/** Compile, or throw the errors; a pipeline that does not compile is never saved through the API. */
export function compileOrThrow(file: unknown): { file: PipelineFile; plan: JobPlan } {
  const result = compile(file)
  if (!result.ok) throw new PipelineInvalidError(result.errors)
  return { file: file as PipelineFile, plan: result.plan }
}

/**
 * Check only the file's shape (apiVersion, name, node ids, edge syntax, limits), or throw its
 * `invalid_file` errors. Config values, kinds and wiring are not checked: they block running, not saving.
 * Returns the file as parsed: `edges` and each node's `config` filled in when absent.
 */
export function checkShapeOrThrow(file: unknown): PipelineFile {
  const parsed = pipelineFile.safeParse(file)
  if (!parsed.success) throw new PipelineInvalidError(readFile(file).errors)
  return parsed.data
}

export async function createPipeline(db: Db, file: unknown, actorId?: string): Promise<{ id: string; version: number }> {
  const { file: checked } = compileOrThrow(file)
  return insertPipeline(db, checked, actorId, 'PUT a new version to it')
}

/** A pipeline whose v1 has no nodes yet: what "New pipeline" on the canvas makes. */
export async function createEmptyPipeline(db: Db, name: string, actorId?: string): Promise<{ id: string; version: number }> {
  const file = checkShapeOrThrow({ apiVersion: 'pipewright/v1', name, nodes: [], edges: [] })
  return insertPipeline(db, file, actorId, 'pick another name')
}

async function insertPipeline(db: Db, file: PipelineFile, actorId: string | undefined, whenTaken: string): Promise<{ id: string; version: number }> {
  return uniqueName(file.name, () =>
    db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: pipelines.id }).from(pipelines).where(eq(pipelines.name, file.name))
      if (existing) {
        throw new ConflictError(`A pipeline named "${file.name}" exists already (id ${existing.id}); ${whenTaken}.`)
      }
      const [pipeline] = await tx.insert(pipelines).values({ name: file.name, createdBy: actorId }).returning()
      await tx.insert(pipelineVersions).values({ pipelineId: pipeline!.id, version: 1, file, createdBy: actorId })
      return { id: pipeline!.id, version: 1 }
    }),
  )
}

export interface SaveVersionOptions {
  /** who saved; their draft of this pipeline is discarded in the same transaction */
  actorId?: string
  message?: string
  /**
   * Store a file that has the right shape but does not compile (invalid config, missing inputs,
   * mismatched ports): such errors block running, not saving. The canvas saves this way.
   * @defaultValue false — the REST API refuses files that do not compile
   */
  allowCompileErrors?: boolean
}

/** Every save is a new immutable version. The file's name renames the pipeline. */
export async function savePipelineVersion(
  db: Db,
  pipelineId: string,
  file: unknown,
  options: SaveVersionOptions = {},
): Promise<{ id: string; version: number }> {
  const checked = options.allowCompileErrors ? checkShapeOrThrow(file) : compileOrThrow(file).file
  return uniqueName(checked.name, () =>
    db.transaction(async (tx) => {
      const [exists] = await tx.select({ id: pipelines.id }).from(pipelines).where(eq(pipelines.id, pipelineId))
      if (!exists) throw new NotFoundError(`No pipeline with id ${pipelineId}.`)
      const [clash] = await tx
        .select({ id: pipelines.id })
        .from(pipelines)
        .where(and(eq(pipelines.name, checked.name), ne(pipelines.id, pipelineId)))
      if (clash) throw new ConflictError(`Another pipeline (id ${clash.id}) is already named "${checked.name}"; pick another name.`)
      const [pipeline] = await tx
        .update(pipelines)
        .set({ headVersion: sql`${pipelines.headVersion} + 1`, name: checked.name, updatedAt: new Date() })
        .where(eq(pipelines.id, pipelineId))
        .returning()
      if (!pipeline) throw new NotFoundError(`No pipeline with id ${pipelineId}.`)
      await tx.insert(pipelineVersions).values({
        pipelineId,
        version: pipeline.headVersion,
        file: checked,
        message: options.message,
        createdBy: options.actorId,
      })
      if (options.actorId) {
        await tx.delete(pipelineDrafts).where(and(eq(pipelineDrafts.pipelineId, pipelineId), eq(pipelineDrafts.userId, options.actorId)))
      }
      return { id: pipelineId, version: pipeline.headVersion }
    }),
  )
}

/** Saves an earlier version's file as the new head; it may no longer compile (kinds and configs change). */
export async function restoreVersion(db: Db, pipelineId: string, version: number, actorId?: string): Promise<{ id: string; version: number }> {
  const old = await getVersion(db, pipelineId, version)
  return savePipelineVersion(db, pipelineId, old.file, { actorId, message: `Restored v${old.version}`, allowCompileErrors: true })
}

/** The unique index on `pipelines.name` has the last word when two saves race past the check. */
async function uniqueName<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (isUniqueViolation(error, 'pipelines_name_unique')) throw new ConflictError(`A pipeline named "${name}" exists already; pick another name.`)
    throw error
  }
}

/** PGlite names the constraint `constraint`, postgres.js `constraint_name`; drizzle wraps either in `cause`. */
function isUniqueViolation(error: unknown, constraint: string): boolean {
  let e = error as { code?: unknown; constraint?: unknown; constraint_name?: unknown; cause?: unknown } | null | undefined
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    if (e.code === '23505') return (e.constraint ?? e.constraint_name) === constraint
    e = e.cause as typeof e
  }
  return false
}

export async function listPipelines(db: Db) {
  return db
    .select({
      id: pipelines.id,
      name: pipelines.name,
      headVersion: pipelines.headVersion,
      updatedAt: pipelines.updatedAt,
      // drizzle leaves columns unqualified inside sql``; spelled out so "id" is the pipeline's
      lastRunStatus: sql<RunStatus | null>`(select r.status from runs r where r.pipeline_id = "pipelines"."id" order by r.created_at desc limit 1)`,
      lastRunAt: sql<Date | null>`(select r.created_at from runs r where r.pipeline_id = "pipelines"."id" order by r.created_at desc limit 1)`.mapWith(
        (value: string | Date | null) => (value === null ? null : new Date(value)),
      ),
    })
    .from(pipelines)
    .orderBy(desc(pipelines.updatedAt))
}

export async function getPipeline(db: Db, pipelineId: string) {
  const [pipeline] = await db.select().from(pipelines).where(eq(pipelines.id, pipelineId))
  if (!pipeline) throw new NotFoundError(`No pipeline with id ${pipelineId}.`)
  return pipeline
}

/** Newest first, each with who saved it (null once that user is removed). */
export async function listVersions(db: Db, pipelineId: string) {
  await getPipeline(db, pipelineId)
  return db
    .select({
      id: pipelineVersions.id,
      version: pipelineVersions.version,
      message: pipelineVersions.message,
      createdAt: pipelineVersions.createdAt,
      createdBy: pipelineVersions.createdBy,
      createdByName: users.name,
      createdByEmail: users.email,
    })
    .from(pipelineVersions)
    .leftJoin(users, eq(users.id, pipelineVersions.createdBy))
    .where(eq(pipelineVersions.pipelineId, pipelineId))
    .orderBy(desc(pipelineVersions.version))
}

/** One version (the head when `version` is absent) with its file and who saved it. */
export async function getVersion(db: Db, pipelineId: string, version?: number) {
  const pipeline = await getPipeline(db, pipelineId)
  const wanted = version ?? pipeline.headVersion
  const [row] = await db
    .select({ version: pipelineVersions, createdByName: users.name, createdByEmail: users.email })
    .from(pipelineVersions)
    .leftJoin(users, eq(users.id, pipelineVersions.createdBy))
    .where(and(eq(pipelineVersions.pipelineId, pipelineId), eq(pipelineVersions.version, wanted)))
  if (!row) throw new NotFoundError(`Pipeline ${pipelineId} has no version ${wanted}.`)
  return { ...row.version, file: row.version.file as PipelineFile, createdByName: row.createdByName, createdByEmail: row.createdByEmail }
}
