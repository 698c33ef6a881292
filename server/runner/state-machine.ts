import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import type { Db } from '@/db'
import { runs, steps, type RunStatus, type StepOutputs, type StepStatus } from '@/db/schema'
import { findNodeDefinition } from '@/nodes/registry'
import { isTerminalStep } from './states'
import type { StepJob } from './queue'

/**
 * The only writer of run and step states. Every write is one conditional statement (or one
 * transaction), so a transition happens whole or not at all, and a writer that lost a race
 * (another worker, a cancel, the reconciler) changes nothing.
 */

/** Which state may follow which. Every write below names its sources, checked against these tables. */
export const stepTransitions: Record<StepStatus, readonly StepStatus[]> = {
  // claimed; answered from the cache; upstream did not succeed; canceled; given up by the reconciler
  queued: ['running', 'succeeded', 'skipped', 'canceled', 'failed'],
  // redelivered to a new worker; retry after backoff; done; failed; canceled; parked for a handoff
  running: ['running', 'queued', 'succeeded', 'failed', 'canceled', 'waiting'],
  // the handed-off model arrived; timed out; canceled
  waiting: ['running', 'succeeded', 'canceled', 'failed'],
  // a retry of the run
  failed: ['queued'],
  skipped: ['queued'],
  canceled: ['queued'],
  succeeded: [],
}

export const runTransitions: Record<RunStatus, readonly RunStatus[]> = {
  queued: ['running', 'succeeded', 'failed', 'canceled'],
  // a step parked for a handoff
  running: ['succeeded', 'failed', 'canceled', 'waiting'],
  waiting: ['running', 'succeeded', 'failed', 'canceled'],
  // a retry
  failed: ['running'],
  canceled: ['running'],
  succeeded: [],
}

/** `status in (from)`, after checking the table allows every `from → to`. */
function stepIn(to: StepStatus, ...from: StepStatus[]): SQL {
  for (const source of from) {
    if (!stepTransitions[source].includes(to)) throw new Error(`A step may not go from ${source} to ${to}.`)
  }
  return inArray(steps.status, from)
}

function runIn(to: RunStatus, ...from: RunStatus[]): SQL {
  for (const source of from) {
    if (!runTransitions[source].includes(to)) throw new Error(`A run may not go from ${source} to ${to}.`)
  }
  return inArray(runs.status, from)
}

const unfinishedRunStatuses: RunStatus[] = ['queued', 'running', 'waiting']

type StepRow = typeof steps.$inferSelect
export type RunRead = Array<{ step: StepRow; runStatus: RunStatus; noCache: boolean; rerunOf: string | null }>

// ——— a worker's attempt ———

/**
 * Claim one attempt: a fresh attempt starts from 'queued'; a redelivery (its worker died) finds
 * its own attempt 'running' and takes it over with a new lease. Finished, superseded or canceled:
 * claims nothing.
 */
export async function claimStep(db: Db, job: StepJob, leaseId: string): Promise<StepRow | undefined> {
  const now = new Date()
  const [claimed] = await db
    .update(steps)
    .set({ status: 'running', attempt: job.attempt, leaseId, heartbeatAt: now, startedAt: now, finishedAt: null, progress: 0, progressMessage: null, curve: null })
    .where(
      and(
        eq(steps.id, job.stepId),
        stepIn('running', 'queued', 'running'),
        sql`((${steps.status} = 'queued' and ${steps.attempt} = ${job.attempt - 1}) or (${steps.status} = 'running' and ${steps.attempt} = ${job.attempt}))`,
        sql`exists (select 1 from ${runs} where ${runs.id} = ${steps.runId} and ${runs.status} <> 'canceled')`,
      ),
    )
    .returning()
  return claimed
}

/** The lease holder says it is alive; false when the step is no longer its to run (canceled, taken over). */
export async function renewLease(db: Db, stepId: string, leaseId: string): Promise<boolean> {
  const renewed = await db
    .update(steps)
    .set({ heartbeatAt: new Date() })
    .where(and(eq(steps.id, stepId), eq(steps.status, 'running'), eq(steps.leaseId, leaseId)))
    .returning({ id: steps.id })
  return renewed.length > 0
}

/** A step attempt that has finished and published its outputs. */
export interface CompletedStep {
  id: string
  leaseId: string
  outputs: StepOutputs
}

/**
 * Mark a step succeeded and read its run, in one statement: the hand-over to the next step is
 * on every run's critical path. The read sees the rows as they were before the update, so the
 * completed step is patched in here when (and only when) the update applied.
 */
export async function completeStepAndReadRun(db: Db, runId: string, completed: CompletedStep): Promise<RunRead> {
  const finishedAt = new Date()
  const done = db.$with('done').as(
    db
      .update(steps)
      .set({ status: 'succeeded', outputs: completed.outputs, finishedAt, progress: 1, error: null })
      .where(and(eq(steps.id, completed.id), stepIn('succeeded', 'running'), eq(steps.leaseId, completed.leaseId)))
      .returning({ doneId: steps.id }),
  )
  const joined = await db
    .with(done)
    .select({ step: steps, runStatus: runs.status, noCache: runs.noCache, rerunOf: runs.rerunOf, doneId: done.doneId })
    .from(steps)
    .innerJoin(runs, eq(runs.id, steps.runId))
    .leftJoin(done, eq(done.doneId, steps.id))
    .where(eq(steps.runId, runId))
    .orderBy(asc(steps.position))
  return joined.map(({ step, runStatus, noCache, rerunOf, doneId }) => ({
    step: doneId ? { ...step, status: 'succeeded' as const, outputs: completed.outputs, finishedAt, progress: 1, error: null } : step,
    runStatus,
    noCache,
    rerunOf,
  }))
}

function heldBy(stepId: string, leaseId: string): SQL {
  return and(eq(steps.id, stepId), eq(steps.leaseId, leaseId))!
}

/** Back to the queue for another attempt after its backoff; true when this worker still held it. */
export async function requeueForRetry(db: Db, stepId: string, leaseId: string, error: string): Promise<boolean> {
  const requeued = await db
    .update(steps)
    .set({ status: 'queued', error, enqueuedAt: new Date(), leaseId: null })
    .where(and(heldBy(stepId, leaseId), stepIn('queued', 'running')))
    .returning({ id: steps.id })
  return requeued.length > 0
}

export async function failRunningStep(db: Db, stepId: string, leaseId: string, error: string): Promise<void> {
  await db
    .update(steps)
    .set({ status: 'failed', error, finishedAt: new Date() })
    .where(and(heldBy(stepId, leaseId), stepIn('failed', 'running')))
}

export async function cancelRunningStep(db: Db, stepId: string, leaseId: string): Promise<void> {
  await db
    .update(steps)
    .set({ status: 'canceled', finishedAt: new Date() })
    .where(and(heldBy(stepId, leaseId), stepIn('canceled', 'running')))
}

// ——— handoffs: a step parked until its model arrives ———

/**
 * The executor handed training off: the step waits without a lease (no worker holds it), and its
 * run shows waiting. True when this worker still held the step.
 */
export async function parkStep(db: Db, stepId: string, leaseId: string, runId: string, message = 'Waiting for the model'): Promise<boolean> {
  return db.transaction(async (tx) => {
    const parked = await tx
      .update(steps)
      .set({ status: 'waiting', leaseId: null, progress: null, progressMessage: message })
      .where(and(heldBy(stepId, leaseId), stepIn('waiting', 'running')))
      .returning({ id: steps.id })
    if (parked.length === 0) return false
    await tx.update(runs).set({ status: 'waiting' }).where(and(eq(runs.id, runId), runIn('waiting', 'running')))
    return true
  })
}

/** The model arrived and is published: the step succeeds and its run runs on. False when the step no longer waits. */
export async function completeWaitingStep(db: Db, stepId: string, runId: string, outputs: StepOutputs): Promise<boolean> {
  return db.transaction(async (tx) => {
    const done = await tx
      .update(steps)
      .set({ status: 'succeeded', outputs, finishedAt: new Date(), progress: 1, progressMessage: null, error: null })
      .where(and(eq(steps.id, stepId), stepIn('succeeded', 'waiting')))
      .returning({ id: steps.id })
    if (done.length === 0) return false
    await resumeRun(tx, runId)
    return true
  })
}

/** A handoff that timed out (or whose trainer could not be reached later): the step fails, saying why. */
export async function failWaitingStep(db: Db, stepId: string, runId: string, error: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const failed = await tx
      .update(steps)
      .set({ status: 'failed', error, finishedAt: new Date(), progressMessage: null })
      .where(and(eq(steps.id, stepId), stepIn('failed', 'waiting')))
      .returning({ id: steps.id })
    if (failed.length === 0) return false
    await resumeRun(tx, runId)
    return true
  })
}

/** Back to running unless another step still waits; the scheduler then ends it or hands on. */
async function resumeRun(tx: Pick<Db, 'update'>, runId: string): Promise<void> {
  await tx
    .update(runs)
    .set({ status: 'running' })
    .where(and(eq(runs.id, runId), runIn('running', 'waiting'), sql`not exists (select 1 from ${steps} where ${steps.runId} = ${runId} and ${steps.status} = 'waiting')`))
}

// ——— the scheduler's hand-overs ———

/** A result found in the cache: the outputs, and the run whose step computed them. */
export interface CacheHit {
  outputs: StepOutputs
  fromRunId: string
}

export async function answerFromCache(db: Db, stepId: string, cacheKey: string, hit: CacheHit): Promise<boolean> {
  const now = new Date()
  const updated = await db
    .update(steps)
    .set({
      status: 'succeeded',
      cached: true,
      cachedFromRunId: hit.fromRunId,
      cacheKey,
      outputs: hit.outputs,
      startedAt: now,
      finishedAt: now,
      enqueuedAt: now,
      progress: 1,
    })
    .where(and(eq(steps.id, stepId), stepIn('succeeded', 'queued'), isNull(steps.enqueuedAt)))
    .returning({ id: steps.id })
  return updated.length > 0
}

/**
 * Not a state change: it keeps later passes from dispatching the step again, tells the reconciler
 * since when, and records the cache key. It runs beside the enqueue, so a worker may already have
 * claimed the step: no condition on the status, or the key would be lost.
 */
export async function markHandedToQueue(db: Db, stepId: string, cacheKey: string): Promise<void> {
  await db
    .update(steps)
    .set({ enqueuedAt: new Date(), cacheKey })
    .where(and(eq(steps.id, stepId), isNull(steps.enqueuedAt)))
}

export async function skipStep(db: Db, stepId: string): Promise<boolean> {
  const updated = await db
    .update(steps)
    .set({ status: 'skipped', finishedAt: new Date(), error: 'An upstream step did not succeed.' })
    .where(and(eq(steps.id, stepId), stepIn('skipped', 'queued'), isNull(steps.enqueuedAt)))
    .returning({ id: steps.id })
  return updated.length > 0
}

export async function markRunRunning(db: Db, runId: string): Promise<void> {
  await db
    .update(runs)
    .set({ status: 'running', startedAt: sql`coalesce(${runs.startedAt}, now())` })
    .where(and(eq(runs.id, runId), runIn('running', 'queued')))
}

/** When every step has ended, the run ends: failed if any step failed, canceled if any was, else succeeded. */
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
    .where(and(eq(runs.id, runId), runIn(status, ...unfinishedRunStatuses)))
}

// ——— what users ask for ———

/**
 * Stop a run and every step that has not ended, in one transaction: run and steps always agree.
 * A worker still running a step loses its lease and stops within a heartbeat.
 */
export async function cancelRun(db: Db, runId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(runs)
      .set({ status: 'canceled', finishedAt: new Date(), error: 'Canceled by a user.' })
      .where(and(eq(runs.id, runId), runIn('canceled', ...unfinishedRunStatuses)))
      .returning({ id: runs.id })
    if (updated.length === 0) return false
    await tx
      .update(steps)
      .set({ status: 'canceled', finishedAt: new Date(), leaseId: null })
      .where(and(eq(steps.runId, runId), stepIn('canceled', 'queued', 'running', 'waiting')))
    return true
  })
}

/**
 * Reopen a failed or canceled run, in one transaction: the run back to running, its failed,
 * skipped and canceled steps back to queued (not yet handed to the queue). Attempts keep counting
 * (a queue job is named by step and attempt, so a number is never reused); the retry budget and
 * the recovery count start afresh.
 */
export async function reopenRun(db: Db, runId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const reopened = await tx
      .update(runs)
      .set({ status: 'running', finishedAt: null, error: null })
      .where(and(eq(runs.id, runId), runIn('running', 'failed', 'canceled')))
      .returning({ id: runs.id })
    if (reopened.length === 0) return false
    const again = await tx
      .select({ id: steps.id, kind: steps.kind, attempt: steps.attempt })
      .from(steps)
      .where(and(eq(steps.runId, runId), stepIn('queued', 'failed', 'skipped', 'canceled')))
    for (const step of again) {
      const budget = findNodeDefinition(step.kind)?.retry.attempts ?? 1
      await tx
        .update(steps)
        .set({
          status: 'queued',
          enqueuedAt: null,
          leaseId: null,
          recoveries: 0,
          maxAttempts: step.attempt + budget,
          error: null,
          progress: null,
          progressMessage: null,
          curve: null,
          startedAt: null,
          finishedAt: null,
        })
        .where(eq(steps.id, step.id))
    }
    return true
  })
}

// ——— the reconciler's ———

/** What the reconciler saw of a step; its writes apply only if the step is still exactly so. */
export interface SeenStep {
  id: string
  status: 'queued' | 'running'
  attempt: number
  recoveries: number
}

function stillAsSeen(seen: SeenStep): SQL {
  return and(eq(steps.id, seen.id), eq(steps.status, seen.status), eq(steps.attempt, seen.attempt), eq(steps.recoveries, seen.recoveries))!
}

/**
 * Take a lost step back for a new delivery (status unchanged): whoever wins this update hands it
 * to the queue, so reconcilers racing in several workers deliver it once. The fresh heartbeat and
 * hand-over time give the new delivery a head start before anyone judges it lost again.
 */
export async function takeForRecovery(db: Db, seen: SeenStep): Promise<boolean> {
  const now = new Date()
  const taken = await db
    .update(steps)
    .set({ recoveries: seen.recoveries + 1, enqueuedAt: now, heartbeatAt: now })
    .where(stillAsSeen(seen))
    .returning({ id: steps.id })
  return taken.length > 0
}

/** End a step that cannot be resumed, saying why. */
export async function giveUpStep(db: Db, seen: SeenStep, error: string): Promise<boolean> {
  const failed = await db
    .update(steps)
    .set({ status: 'failed', error, finishedAt: new Date(), leaseId: null })
    .where(and(stillAsSeen(seen), stepIn('failed', 'queued', 'running')))
    .returning({ id: steps.id })
  return failed.length > 0
}

/** A step left unfinished in a run that has already ended takes the run's end. */
export async function settleStrayStep(db: Db, seen: SeenStep, runStatus: RunStatus): Promise<void> {
  const status = runStatus === 'canceled' ? 'canceled' : 'failed'
  await db
    .update(steps)
    .set({ status, finishedAt: new Date(), leaseId: null, error: status === 'failed' ? 'Its run had already ended.' : null })
    .where(and(stillAsSeen(seen), stepIn(status, 'queued', 'running')))
}
