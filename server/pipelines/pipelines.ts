import { and, asc, desc, eq, sql } from 'drizzle-orm'
import type { Db } from '@/db'
import { pipelines, pipelineVersions, type RunStatus } from '@/db/schema'
import { compile, type CompileError, type JobPlan } from '@/server/compiler'
import type { PipelineFile } from '@/server/compiler/pipeline-file'

export class PipelineInvalidError extends Error {
  override name = 'PipelineInvalidError'
  constructor(readonly errors: CompileError[]) {
    super(errors[0] ? `${errors[0].path.join('.') || '(file)'}: ${errors[0].message}` : 'The pipeline file is invalid.')
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError'
}

export class ConflictError extends Error {
  override name = 'ConflictError'
}

/** Compile, or throw the errors; a pipeline that does not compile is never saved through the API. */
export function compileOrThrow(file: unknown): { file: PipelineFile; plan: JobPlan } {
  const result = compile(file)
  if (!result.ok) throw new PipelineInvalidError(result.errors)
  return { file: file as PipelineFile, plan: result.plan }
}

export async function createPipeline(db: Db, file: unknown, actorId?: string): Promise<{ id: string; version: number }> {
  const { file: checked } = compileOrThrow(file)
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: pipelines.id }).from(pipelines).where(eq(pipelines.name, checked.name))
    if (existing) {
      throw new ConflictError(`A pipeline named "${checked.name}" exists already (id ${existing.id}); PUT a new version to it.`)
    }
    const [pipeline] = await tx.insert(pipelines).values({ name: checked.name, createdBy: actorId }).returning()
    await tx.insert(pipelineVersions).values({ pipelineId: pipeline!.id, version: 1, file: checked, createdBy: actorId })
    return { id: pipeline!.id, version: 1 }
  })
}

/** Every save is a new immutable version. */
export async function savePipelineVersion(
  db: Db,
  pipelineId: string,
  file: unknown,
  options: { actorId?: string; message?: string } = {},
): Promise<{ id: string; version: number }> {
  const { file: checked } = compileOrThrow(file)
  return db.transaction(async (tx) => {
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
    return { id: pipelineId, version: pipeline.headVersion }
  })
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

export async function listVersions(db: Db, pipelineId: string) {
  await getPipeline(db, pipelineId)
  return db
    .select({
      id: pipelineVersions.id,
      version: pipelineVersions.version,
      message: pipelineVersions.message,
      createdAt: pipelineVersions.createdAt,
    })
    .from(pipelineVersions)
    .where(eq(pipelineVersions.pipelineId, pipelineId))
    .orderBy(desc(pipelineVersions.version))
}

export async function getVersion(db: Db, pipelineId: string, version?: number) {
  const pipeline = await getPipeline(db, pipelineId)
  const wanted = version ?? pipeline.headVersion
  const [row] = await db
    .select()
    .from(pipelineVersions)
    .where(and(eq(pipelineVersions.pipelineId, pipelineId), eq(pipelineVersions.version, wanted)))
    .orderBy(asc(pipelineVersions.version))
  if (!row) throw new NotFoundError(`Pipeline ${pipelineId} has no version ${wanted}.`)
  return { ...row, file: row.file as PipelineFile }
}
