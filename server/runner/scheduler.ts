import { and, asc, desc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm'
import type { Db } from '@/db'
import { runs, steps, type RunStatus, type StepOutputs } from '@/db/schema'
import { findNodeDefinition } from '@/nodes/registry'
import { stepCacheKey } from '@/server/compiler/cache-key'
import type { JobPlan } from '@/server/compiler'
import type { Services } from '@/server/services'
import { blockingStepStatuses, isTerminalRun, isTerminalStep, terminalRunStatuses } from './states'

type StepRow = typeof steps.$inferSelect
type SchedulerServices = Pick<Services, 'db' | 'queue' | 'store'>

/** Write a run and its steps for a compiled plan, then hand the ready steps to the queue. */
export async function createRun(
  services: SchedulerServices,
  input: { pipelineId: string; versionId: string; version: number; plan: JobPlan; noCache?: boolean; actorId?: string },
): Promise<string> {
  const runId = await services.db.transaction(async (tx) => {
    const [run] = await tx
      .insert(runs)
      .values({
        pipelineId: input.pipelineId,
        versionId: input.versionId,
        version: input.version,
        noCache: input.noCache ?? false,
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
    const joined = pass === 0 && completed ? await completeAndReadRun(db, runId, completed) : await readRun(db, runId)
    const run = joined[0]
    if (!run || isTerminalRun(run.runStatus)) return
    rows = joined.map((row) => row.step)
    const byNode = new Map(rows.map((row) => [row.nodeId, row]))
    let changed = false
    for (const step of rows) {
      if (step.status !== 'queued' || step.enqueuedAt) continue
      const upstream = [...new Set(Object.values(step.inputs).map((source) => byNode.get(source.nodeId)!))]
      if (upstream.some((up) => blockingStepStatuses.has(up.status))) {
        changed = (await skipStep(db, step)) || changed
        continue
      }
      if (!upstream.every((up) => up.status === 'succeeded')) continue
      changed = (await dispatchStep(services, step, byNode, run.noCache)) || changed
    }
    if (!changed) break
  }
  await finishRunIfDone(db, runId, rows)
}

type RunRead = Array<{ step: StepRow; runStatus: RunStatus; noCache: boolean }>

/** One round trip: the run's steps, each with its run's state. */
function readRun(db: Db, runId: string): Promise<RunRead> {
  return db
    .select({ step: steps, runStatus: runs.status, noCache: runs.noCache })
    .from(steps)
    .innerJoin(runs, eq(runs.id, steps.runId))
    .where(eq(steps.runId, runId))
    .orderBy(asc(steps.position))
}

/** A step attempt that has finished and published its outputs. */
export interface CompletedStep {
  id: string
  attempt: number
  outputs: StepOutputs
}

/**
 * Mark a step succeeded and read its run, in one statement: the hand-over to the next step is
 * on every run's critical path. The read sees the rows as they were before the update, so the
 * completed step is patched in here when (and only when) the update applied.
 */
async function completeAndReadRun(db: Db, runId: string, completed: CompletedStep): Promise<RunRead> {
  const finishedAt = new Date()
  const done = db.$with('done').as(
    db
      .update(steps)
      .set({ status: 'succeeded', outputs: completed.outputs, finishedAt, progress: 1, error: null })
      .where(and(eq(steps.id, completed.id), eq(steps.status, 'running'), eq(steps.attempt, completed.attempt)))
      .returning({ doneId: steps.id }),
  )
  const joined = await db
    .with(done)
    .select({ step: steps, runStatus: runs.status, noCache: runs.noCache, doneId: done.doneId })
    .from(steps)
    .innerJoin(runs, eq(runs.id, steps.runId))
    .leftJoin(done, eq(done.doneId, steps.id))
    .where(eq(steps.runId, runId))
    .orderBy(asc(steps.position))
  return joined.map(({ step, runStatus, noCache, doneId }) => ({
    step: doneId ? { ...step, status: 'succeeded' as const, outputs: completed.outputs, finishedAt, progress: 1, error: null } : step,
    runStatus,
    noCache,
  }))
}

async function dispatchStep(
  services: SchedulerServices,
  step: StepRow,
  byNode: Map<string, StepRow>,
  noCache: boolean,
): Promise<boolean> {
  const inputIds = Object.fromEntries(
    Object.entries(step.inputs).map(([port, source]) => [port, byNode.get(source.nodeId)!.outputs[source.port]!]),
  )
  const cacheKey = stepCacheKey({ kind: step.kind, nodeVersion: step.nodeVersion, config: step.config, inputs: inputIds })
  const cachedOutputs = noCache ? undefined : await findCachedOutputs(services, cacheKey)
  if (cachedOutputs) {
    const now = new Date()
    const updated = await services.db
      .update(steps)
      .set({ status: 'succeeded', cached: true, cacheKey, outputs: cachedOutputs, startedAt: now, finishedAt: now, enqueuedAt: now, progress: 1 })
      .where(and(eq(steps.id, step.id), eq(steps.status, 'queued'), isNull(steps.enqueuedAt)))
      .returning({ id: steps.id })
    if (updated.length > 0) await markRunRunning(services.db, step.runId)
    return updated.length > 0
  }
  // Mark and enqueue at once: a job is named by step and attempt, so a racing second dispatch
  // enqueues the same job (BullMQ keeps one; the worker's claim ignores a repeat), and the
  // mark only keeps later passes from dispatching the step again.
  await Promise.all([
    services.db
      .update(steps)
      .set({ enqueuedAt: new Date(), cacheKey })
      .where(and(eq(steps.id, step.id), isNull(steps.enqueuedAt))),
    services.queue.enqueue({ runId: step.runId, stepId: step.id, attempt: step.attempt + 1 }),
  ])
  return false
}

/** The outputs of an earlier successful step with the same key, if all its artifacts still exist. */
async function findCachedOutputs(services: SchedulerServices, cacheKey: string): Promise<StepOutputs | undefined> {
  const [hit] = await services.db
    .select({ outputs: steps.outputs })
    .from(steps)
    .where(and(eq(steps.cacheKey, cacheKey), eq(steps.status, 'succeeded')))
    .orderBy(desc(steps.finishedAt))
    .limit(1)
  if (!hit) return undefined
  return Object.values(hit.outputs).every((id) => services.store.has(id)) ? hit.outputs : undefined
}

async function skipStep(db: Db, step: StepRow): Promise<boolean> {
  const updated = await db
    .update(steps)
    .set({ status: 'skipped', finishedAt: new Date(), error: 'An upstream step did not succeed.' })
    .where(and(eq(steps.id, step.id), eq(steps.status, 'queued'), isNull(steps.enqueuedAt)))
    .returning({ id: steps.id })
  return updated.length > 0
}

export async function markRunRunning(db: Db, runId: string): Promise<void> {
  await db
    .update(runs)
    .set({ status: 'running', startedAt: sql`coalesce(${runs.startedAt}, now())` })
    .where(and(eq(runs.id, runId), eq(runs.status, 'queued')))
}

/** When every step has ended, the run ends: failed if any step failed, else succeeded. */
export async function finishRunIfDone(db: Db, runId: string, knownSteps?: StepRow[]): Promise<void> {
  const rows = knownSteps ?? (await db.select().from(steps).where(eq(steps.runId, runId)).orderBy(asc(steps.position)))
  if (!rows.every((step) => isTerminalStep(step.status))) return
  const failed = rows.find((step) => step.status === 'failed')
  const canceled = rows.some((step) => step.status === 'canceled')
  const status = failed ? 'failed' : canceled ? 'canceled' : 'succeeded'
  await db
    .update(runs)
    .set({
      status,
      error: failed ? `Step "${failed.nodeId}" failed: ${failed.error ?? 'unknown error'}` : null,
      startedAt: sql`coalesce(${runs.startedAt}, now())`,
      finishedAt: new Date(),
    })
    .where(and(eq(runs.id, runId), notInArray(runs.status, [...terminalRunStatuses])))
}

/** Stop a run: steps not yet started are canceled now; running ones notice within a second. */
export async function cancelRun(db: Db, runId: string): Promise<boolean> {
  const updated = await db
    .update(runs)
    .set({ status: 'canceled', finishedAt: new Date(), error: 'Canceled by a user.' })
    .where(and(eq(runs.id, runId), notInArray(runs.status, [...terminalRunStatuses])))
    .returning({ id: runs.id })
  await db
    .update(steps)
    .set({ status: 'canceled', finishedAt: new Date() })
    .where(and(eq(steps.runId, runId), eq(steps.status, 'queued')))
  return updated.length > 0
}

/** Run the failed, skipped and canceled steps of a finished run again; succeeded steps keep their outputs. */
export async function retryRun(services: SchedulerServices, runId: string): Promise<boolean> {
  const reopened = await services.db
    .update(runs)
    .set({ status: 'running', finishedAt: null, error: null })
    .where(and(eq(runs.id, runId), inArray(runs.status, ['failed', 'canceled'])))
    .returning({ id: runs.id })
  if (reopened.length === 0) return false
  const again = await services.db
    .select({ id: steps.id, kind: steps.kind, attempt: steps.attempt })
    .from(steps)
    .where(and(eq(steps.runId, runId), inArray(steps.status, ['failed', 'skipped', 'canceled'])))
  for (const step of again) {
    // attempts keep counting (a queue job is named by step and attempt, so a number is never reused),
    // and the retry policy's budget starts afresh
    const budget = findNodeDefinition(step.kind)?.retry.attempts ?? 1
    await services.db
      .update(steps)
      .set({
        status: 'queued',
        enqueuedAt: null,
        maxAttempts: step.attempt + budget,
        error: null,
        progress: null,
        progressMessage: null,
        startedAt: null,
        finishedAt: null,
      })
      .where(eq(steps.id, step.id))
  }
  await advanceRun(services, runId)
  return true
}
