import { and, asc, desc, eq, gt, inArray, isNull } from 'drizzle-orm'
import type { Db } from '@/db'
import { approvals, runs, stepLogs, steps } from '@/db/schema'
import { compileOrThrow, getVersion } from '@/server/pipelines/pipelines'
import { NotFoundError } from '@/server/errors'
import type { Services } from '@/server/services'
import { createRun } from './scheduler'

export async function startRun(
  services: Pick<Services, 'db' | 'queue' | 'store'>,
  pipelineId: string,
  options: { version?: number; noCache?: boolean; actorId?: string } = {},
): Promise<{ runId: string }> {
  const version = await getVersion(services.db, pipelineId, options.version)
  const { plan } = compileOrThrow(version.file)
  const runId = await createRun(services, {
    pipelineId,
    versionId: version.id,
    version: version.version,
    plan,
    noCache: options.noCache,
    actorId: options.actorId,
  })
  return { runId }
}

export type RunDetail = Awaited<ReturnType<typeof getRunDetail>>

export async function getRunDetail(db: Db, runId: string) {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId))
  if (!run) throw new NotFoundError(`No run with id ${runId}.`)
  const stepRows = await db.select().from(steps).where(eq(steps.runId, runId)).orderBy(asc(steps.position))
  const approving = await stepsAwaitingApproval(db, stepRows.filter((step) => step.status === 'waiting').map((step) => step.id))
  return {
    ...run,
    steps: stepRows.map((step) => ({
      id: step.id,
      nodeId: step.nodeId,
      kind: step.kind,
      status: step.status,
      /** what a waiting step waits for: a person's approval, or its model from outside (a handoff) */
      waitingFor: step.status !== 'waiting' ? null : approving.has(step.id) ? ('approval' as const) : ('handoff' as const),
      cached: step.cached,
      /** for a cached step: the run whose step computed the result */
      cachedFromRunId: step.cachedFromRunId,
      /** forced to run for real (the re-run node and its descendants) */
      skipCache: step.skipCache,
      attempt: step.attempt,
      maxAttempts: step.maxAttempts,
      error: step.error,
      progress: step.progress,
      progressMessage: step.progressMessage,
      /** the live chart the executor draws (training curves); null for steps that draw none */
      curve: step.curve,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
      durationMs: step.startedAt && step.finishedAt ? step.finishedAt.getTime() - step.startedAt.getTime() : null,
      outputs: step.outputs,
      config: step.config,
      inputs: step.inputs,
    })),
  }
}

/** Of these waiting steps, the ones parked on an undecided approval; the others wait for a handoff. */
async function stepsAwaitingApproval(db: Db, waitingStepIds: string[]): Promise<Set<string>> {
  if (waitingStepIds.length === 0) return new Set()
  const rows = await db
    .select({ stepId: approvals.stepId })
    .from(approvals)
    .where(and(inArray(approvals.stepId, waitingStepIds), isNull(approvals.decision)))
  return new Set(rows.map((row) => row.stepId))
}

export async function listRuns(db: Db, pipelineId: string, limit = 50) {
  return db
    .select({
      id: runs.id,
      status: runs.status,
      version: runs.version,
      createdAt: runs.createdAt,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      error: runs.error,
      rerunOf: runs.rerunOf,
      rerunNodeId: runs.rerunNodeId,
    })
    .from(runs)
    .where(eq(runs.pipelineId, pipelineId))
    .orderBy(desc(runs.createdAt))
    .limit(limit)
}

export async function listRunLogs(db: Db, runId: string, afterId = 0, limit = 1000) {
  return db
    .select({ id: stepLogs.id, stepId: stepLogs.stepId, at: stepLogs.at, level: stepLogs.level, message: stepLogs.message })
    .from(stepLogs)
    .where(and(eq(stepLogs.runId, runId), gt(stepLogs.id, afterId)))
    .orderBy(asc(stepLogs.id))
    .limit(limit)
}
