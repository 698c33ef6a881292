import { and, asc, desc, eq, sql } from 'drizzle-orm'
import type { Db } from '@/db'
import { runs, steps } from '@/db/schema'
import { stepCacheKey } from '@/server/compiler/cache-key'
import { findNodeDefinition } from '@/nodes/registry'
import type { JobPlan } from '@/server/compiler'
import { logger } from '@/server/logger'
import type { Services } from '@/server/services'
import { QueueUnavailableError, type StepJob } from './queue'
import {
  answerFromCache,
  cancelRun as cancelRunAndSteps,
  completeStepAndReadRun,
  finishRunIfDone,
  markHandedToQueue,
  markRunRunning,
  reopenRun,
  skipStep,
  type CacheHit,
  type CompletedStep,
  type RunRead,
} from './state-machine'
import { blockingStepStatuses, isTerminalRun } from './states'

type StepRow = typeof steps.$inferSelect
type SchedulerServices = Pick<Services, 'db' | 'queue' | 'store'>

/** What makes a run a forced re-run of an earlier one. */
export interface RerunOf {
  runId: string
  nodeId: string
  /** the node and everything downstream of it: these run for real */
  forcedNodeIds: ReadonlySet<string>
}

export interface NewRun {
  pipelineId: string
  versionId: string
  version: number
  plan: JobPlan
  noCache?: boolean
  actorId?: string
  rerun?: RerunOf
}

/** Write a run and its steps for a compiled plan, then hand the ready steps to the queue. */
export async function createRun(services: SchedulerServices, input: NewRun): Promise<string> {
  const runId = await services.db.transaction(async (tx) => {
    const [run] = await tx
      .insert(runs)
      .values({
        pipelineId: input.pipelineId,
        versionId: input.versionId,
        version: input.version,
        noCache: input.noCache ?? false,
        rerunOf: input.rerun?.runId,
        rerunNodeId: input.rerun?.nodeId,
        createdBy: input.actorId,
      })
      .returning({ id: runs.id })
    await tx.insert(steps).values(
      input.plan.steps.map((step, position) => ({
        runId: run!.id,
        nodeId: step.nodeId,
        position,
        kind: step.kind,
        nodeVersion: step.nodeVersion,
        config: step.config,
        inputs: step.inputs,
        maxAttempts: step.retry.attempts,
        backoffMs: step.retry.backoffMs,
        skipCache: input.rerun?.forcedNodeIds.has(step.nodeId) ?? false,
      })),
    )
    return run!.id
  })
  await advanceRun(services, runId)
  return runId
}

/**
 * DAG readiness lives here, in the database, not in the queue: every step whose inputs are
 * all done is either answered from the cache or enqueued, exactly once (a conditional
 * update claims it). Safe to call any number of times, from any process.
 */
export async function advanceRun(services: SchedulerServices, runId: string, completed?: CompletedStep): Promise<void> {
  const { db } = services
  let rows: StepRow[] = []
  for (let pass = 0; pass < 10_000; pass++) {
    const joined = pass === 0 && completed ? await completeStepAndReadRun(db, runId, completed) : await readRun(db, runId)
    const run = joined[0]
    if (!run || isTerminalRun(run.runStatus)) return
    rows = joined.map((row) => row.step)
    const byNode = new Map(rows.map((row) => [row.nodeId, row]))
    let changed = false
    for (const step of rows) {
      if (step.status !== 'queued' || step.enqueuedAt) continue
      const upstream = [...new Set(Object.values(step.inputs).map((source) => byNode.get(source.nodeId)!))]
      if (upstream.some((up) => blockingStepStatuses.has(up.status))) {
        changed = (await skipStep(db, step.id)) || changed
        continue
      }
      if (!upstream.every((up) => up.status === 'succeeded')) continue
      changed = (await dispatchStep(services, step, byNode, run)) || changed
    }
    if (!changed) break
  }
  await finishRunIfDone(db, runId, rows)
}

/** One round trip: the run's steps, each with its run's state. */
function readRun(db: Db, runId: string): Promise<RunRead> {
  return db
    .select({ step: steps, runStatus: runs.status, noCache: runs.noCache, rerunOf: runs.rerunOf })
    .from(steps)
    .innerJoin(runs, eq(runs.id, steps.runId))
    .where(eq(steps.runId, runId))
    .orderBy(asc(steps.position))
}

async function dispatchStep(
  services: SchedulerServices,
  step: StepRow,
  byNode: Map<string, StepRow>,
  run: { noCache: boolean; rerunOf: string | null },
): Promise<boolean> {
  const inputIds = Object.fromEntries(
    Object.entries(step.inputs).map(([port, source]) => [port, byNode.get(source.nodeId)!.outputs[source.port]!]),
  )
  const cacheKey = stepCacheKey({ kind: step.kind, nodeVersion: step.nodeVersion, config: step.config, inputs: inputIds })
  const cacheable = !run.noCache && !step.skipCache && findNodeDefinition(step.kind)?.cache !== false
  const hit = cacheable ? await findCacheHit(services, cacheKey, run.rerunOf) : undefined
  if (hit) {
    const answered = await answerFromCache(services.db, step.id, cacheKey, hit)
    if (answered) await markRunRunning(services.db, step.runId)
    return answered
  }
  // Mark and enqueue at once: a job is named by step and attempt, so a racing second dispatch
  // enqueues the same job (the queue keeps one; the worker's claim ignores a repeat), and the
  // mark only keeps later passes from dispatching the step again.
  await Promise.all([
    markHandedToQueue(services.db, step.id, cacheKey),
    enqueueOrLeaveToReconciler(services, { runId: step.runId, stepId: step.id, attempt: step.attempt + 1 }),
  ])
  return false
}

/**
 * Hand a job to the queue; when the queue (Redis) is away, say so and go on: the step stays queued
 * in the database, and the reconciler hands it over once the queue answers again.
 */
export async function enqueueOrLeaveToReconciler(services: Pick<Services, 'queue'>, job: StepJob, delayMs?: number): Promise<void> {
  try {
    await services.queue.enqueue(job, { delayMs })
  } catch (error) {
    if (!(error instanceof QueueUnavailableError)) throw error
    logger.warn({ job, err: error }, 'queue unreachable: the step waits in the database for the reconciler')
  }
}

/**
 * The outputs of an earlier successful step with the same key, if all its artifacts still exist
 * (a result whose files are gone is no result: the step runs again), with the run that computed
 * them: the hit's own run, or where the hit was itself answered from. A re-run prefers the run it
 * re-runs, so its unchanged steps show that run's results; otherwise the newest hit wins.
 */
async function findCacheHit(services: SchedulerServices, cacheKey: string, preferRunId: string | null): Promise<CacheHit | undefined> {
  const newest = desc(steps.finishedAt)
  const [hit] = await services.db
    .select({ outputs: steps.outputs, runId: steps.runId, cachedFromRunId: steps.cachedFromRunId })
    .from(steps)
    .where(and(eq(steps.cacheKey, cacheKey), eq(steps.status, 'succeeded')))
    .orderBy(...(preferRunId ? [desc(sql`${steps.runId} = ${preferRunId}`), newest] : [newest]))
    .limit(1)
  if (!hit) return undefined
  const present = await Promise.all(Object.values(hit.outputs).map((id) => services.store.has(id)))
  return present.every(Boolean) ? { outputs: hit.outputs, fromRunId: hit.cachedFromRunId ?? hit.runId } : undefined
}

/** Stop a run: it and every unfinished step are canceled at once; running executors stop within a heartbeat. */
export async function cancelRun(db: Db, runId: string): Promise<boolean> {
  return cancelRunAndSteps(db, runId)
}

/**
 * Run the failed, skipped and canceled steps of a finished run again; succeeded steps keep their
 * outputs. A run still queued or running has nothing to retry (false): the reconciler resumes it.
 */
export async function retryRun(services: SchedulerServices, runId: string): Promise<boolean> {
  if (!(await reopenRun(services.db, runId))) return false
  await advanceRun(services, runId)
  return true
}
