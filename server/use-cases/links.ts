import { and, desc, eq, inArray } from 'drizzle-orm'
import type { Db } from '@/db'
import { deployments, pipelines, runs, useCasePipelines } from '@/db/schema'
import { NotFoundError } from '@/server/errors'
import { pipelineLinkInput } from './model'
import { findRow, recordHistory } from './rows'

export interface LinkedPipeline {
  id: string
  name: string
  /** the newest run, so the use case shows whether its pipeline works */
  lastRun: { id: string; status: string; version: number; at: Date } | null
}

export async function linkedPipelines(db: Db, useCaseId: string): Promise<LinkedPipeline[]> {
  const linked = await db
    .select({ id: pipelines.id, name: pipelines.name })
    .from(useCasePipelines)
    .innerJoin(pipelines, eq(pipelines.id, useCasePipelines.pipelineId))
    .where(eq(useCasePipelines.useCaseId, useCaseId))
    .orderBy(pipelines.name)
  if (linked.length === 0) return []
  const recent = await db
    .selectDistinctOn([runs.pipelineId], { pipelineId: runs.pipelineId, id: runs.id, status: runs.status, version: runs.version, at: runs.createdAt })
    .from(runs)
    .where(inArray(runs.pipelineId, linked.map((p) => p.id)))
    .orderBy(runs.pipelineId, desc(runs.createdAt))
  const lastRun = new Map(recent.map(({ pipelineId, ...run }) => [pipelineId, run]))
  return linked.map((p) => ({ ...p, lastRun: lastRun.get(p.id) ?? null }))
}

/** The use cases (of `ids`, or all) with a linked pipeline whose deploy step made a deployment. */
export async function useCasesWithDeployments(db: Db, ids?: readonly string[]): Promise<Set<string>> {
  if (ids && ids.length === 0) return new Set()
  const rows = await db
    .selectDistinct({ useCaseId: useCasePipelines.useCaseId })
    .from(useCasePipelines)
    .innerJoin(deployments, eq(deployments.pipelineId, useCasePipelines.pipelineId))
    .where(ids ? inArray(useCasePipelines.useCaseId, [...ids]) : undefined)
  return new Set(rows.map((r) => r.useCaseId))
}

/** Links a pipeline that realises the use case; linking it again changes nothing. */
export async function linkPipeline(db: Db, useCaseId: string, input: unknown, actorId?: string): Promise<LinkedPipeline[]> {
  const { pipelineId } = pipelineLinkInput.parse(input)
  await findRow(db, useCaseId)
  const [pipeline] = await db.select({ name: pipelines.name }).from(pipelines).where(eq(pipelines.id, pipelineId))
  if (!pipeline) throw new NotFoundError(`No pipeline with id ${pipelineId}.`)
  await db.transaction(async (tx) => {
    const added = await tx.insert(useCasePipelines).values({ useCaseId, pipelineId }).onConflictDoNothing().returning()
    if (added.length > 0) await recordHistory(tx, useCaseId, actorId, `Linked pipeline ${pipeline.name}`)
  })
  return linkedPipelines(db, useCaseId)
}

export async function unlinkPipeline(db: Db, useCaseId: string, pipelineId: string, actorId?: string): Promise<void> {
  await findRow(db, useCaseId)
  await db.transaction(async (tx) => {
    const removed = await tx
      .delete(useCasePipelines)
      .where(and(eq(useCasePipelines.useCaseId, useCaseId), eq(useCasePipelines.pipelineId, pipelineId)))
      .returning()
    if (removed.length === 0) throw new NotFoundError('That pipeline is not linked to this use case.')
    const [pipeline] = await tx.select({ name: pipelines.name }).from(pipelines).where(eq(pipelines.id, pipelineId))
    await recordHistory(tx, useCaseId, actorId, `Unlinked pipeline ${pipeline?.name ?? pipelineId}`)
  })
}
