import { and, eq, inArray, lt } from 'drizzle-orm'
import { runs, steps, type RunStatus } from '@/db/schema'
import { expireApprovals } from '@/server/approvals/expire'
import { expireHandoffs } from '@/server/handoffs/expire'
import { logger } from '@/server/logger'
import type { Services } from '@/server/services'
import { QueueUnavailableError, type StepJob } from './queue'
import { advanceRun } from './scheduler'
import { giveUpStep, settleStrayStep, takeForRecovery, type SeenStep } from './state-machine'
import { isTerminalRun } from './states'

type ReconcilerServices = Pick<Services, 'db' | 'queue' | 'store'>

/**
 * A step handed to the queue this long ago (or whose lease holder has not beaten for this long)
 * and whose job the queue no longer holds is lost. Long against a hand-over (milliseconds) and a
 * heartbeat (one second); short against an outage a user would wait through.
 */
export const staleAfterMs = 5000
/** a step lost this often is failed rather than delivered yet again */
export const maxRecoveries = 5

const stalledTooOften = /stalled more than allowable limit/

export interface ReconcileReport {
  recovered: number
  gaveUp: number
  advancedRuns: number
}

interface UnfinishedStep extends SeenStep {
  runId: string
  runStatus: RunStatus
  enqueuedAt: Date | null
  heartbeatAt: Date | null
  startedAt: Date | null
}

/**
 * One pass: put back on the queue what the database says is due and no live job holds; end what
 * cannot be resumed, saying why; fail steps whose handoff or approval passed its deadline;
 * advance runs nothing is moving. Safe in several processes at
 * once: every write is conditional on the row being as this pass saw it.
 */
export async function reconcile(services: ReconcilerServices, now = Date.now()): Promise<ReconcileReport> {
  const report: ReconcileReport = { recovered: 0, gaveUp: 0, advancedRuns: 0 }
  const unfinished = await readUnfinishedSteps(services)
  const settledRuns = new Set<string>()
  for (const step of unfinished) {
    if (!isLost(step, now)) continue
    const outcome = await resolveLostStep(services, step)
    if (outcome === 'recovered') report.recovered += 1
    if (outcome === 'gave-up') {
      report.gaveUp += 1
      settledRuns.add(step.runId)
    }
  }
  for (const runId of await runsNothingMoves(services, unfinished, now)) settledRuns.add(runId)
  for (const runId of await expireHandoffs(services.db, new Date(now))) settledRuns.add(runId)
  for (const runId of await expireApprovals(services.db, new Date(now))) settledRuns.add(runId)
  for (const runId of settledRuns) {
    await advanceRun(services, runId)
    report.advancedRuns += 1
  }
  return report
}

async function readUnfinishedSteps(services: ReconcilerServices): Promise<UnfinishedStep[]> {
  const rows = await services.db
    .select({
      id: steps.id,
      status: steps.status,
      attempt: steps.attempt,
      recoveries: steps.recoveries,
      runId: steps.runId,
      runStatus: runs.status,
      enqueuedAt: steps.enqueuedAt,
      heartbeatAt: steps.heartbeatAt,
      startedAt: steps.startedAt,
    })
    .from(steps)
    .innerJoin(runs, eq(runs.id, steps.runId))
    .where(inArray(steps.status, ['queued', 'running']))
  return rows as UnfinishedStep[]
}

/** Handed over (queued with a hand-over time, or running) and quiet for longer than a hand-over takes. */
function isLost(step: UnfinishedStep, now: number): boolean {
  const since = step.status === 'running' ? (step.heartbeatAt ?? step.startedAt) : step.enqueuedAt
  return since !== null && now - since.getTime() > staleAfterMs
}

/** The job that should be carrying the step: the next attempt when queued, its own when running. */
function jobFor(step: UnfinishedStep): StepJob {
  return { runId: step.runId, stepId: step.id, attempt: step.status === 'queued' ? step.attempt + 1 : step.attempt }
}

async function resolveLostStep(services: ReconcilerServices, step: UnfinishedStep): Promise<'live' | 'recovered' | 'gave-up' | 'lost-race'> {
  if (isTerminalRun(step.runStatus)) {
    await settleStrayStep(services.db, step, step.runStatus)
    return 'gave-up'
  }
  const job = jobFor(step)
  const fate = await services.queue.jobFate(job)
  if (fate.live) return 'live'
  const reason = whyNotResumable(step, fate.failedReason)
  if (reason) return (await giveUpStep(services.db, step, reason)) ? 'gave-up' : 'lost-race'
  if (!(await takeForRecovery(services.db, step))) return 'lost-race'
  await services.queue.redeliver(job)
  logger.warn({ job, status: step.status, recoveries: step.recoveries + 1 }, 'step had no live job: handed to the queue again')
  return 'recovered'
}

function whyNotResumable(step: UnfinishedStep, failedReason: string | undefined): string | undefined {
  if (failedReason && stalledTooOften.test(failedReason)) {
    return 'The worker running this step stopped several times before it finished (killed, or out of memory?); it was not started again. Retry the run to try once more.'
  }
  if (step.recoveries >= maxRecoveries) {
    return `This step's job was lost ${step.recoveries} times (the queue or the database was unreachable); it was not started again. Retry the run to try once more.`
  }
  return undefined
}

/**
 * Unfinished runs with no step handed over or running, older than a hand-over: a step whose
 * dispatch never reached the queue, or a run whose last step ended without ending the run.
 */
async function runsNothingMoves(services: ReconcilerServices, unfinished: UnfinishedStep[], now: number): Promise<string[]> {
  const moving = new Set(unfinished.filter((s) => s.status === 'running' || s.enqueuedAt !== null).map((s) => s.runId))
  const quiet = await services.db
    .select({ id: runs.id })
    .from(runs)
    .where(and(inArray(runs.status, ['queued', 'running', 'waiting']), lt(runs.createdAt, new Date(now - staleAfterMs))))
  return quiet.map((run) => run.id).filter((id) => !moving.has(id))
}

/** Reconcile once now and then every `intervalMs`, never two passes at once in this process. */
export function startReconciler(services: ReconcilerServices, intervalMs: number): () => Promise<void> {
  let running: Promise<void> | undefined
  let lastProblem = ''
  const pass = () => {
    running ??= reconcile(services)
      .then((report) => {
        lastProblem = ''
        if (report.recovered + report.gaveUp > 0) logger.info(report, 'reconciler pass')
      })
      .catch((error: unknown) => {
        // during an outage every pass fails the same way: say it once
        const problem = error instanceof Error ? error.message : String(error)
        if (problem !== lastProblem) logger.warn({ err: error, queueDown: error instanceof QueueUnavailableError }, `reconciler pass failed: ${problem}`)
        lastProblem = problem
      })
      .finally(() => (running = undefined))
  }
  pass()
  const timer = setInterval(pass, intervalMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
