import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import { and, eq, inArray } from 'drizzle-orm'
import { steps } from '@/db/schema'
import { StepError, type CurvePoint, type InputArtifact } from '@/nodes/contract'
import { executorFor } from '@/nodes/executors'
import { findNodeDefinition } from '@/nodes/registry'
import { logger } from '@/server/logger'
import { registryView } from '@/server/models/registry-view'
import { openStepHandoff } from '@/server/handoffs/open'
import { keptOutputs, openApproval } from '@/server/approvals/open'
import type { Services } from '@/server/services'
import type { StepJob } from './queue'
import { advanceRun, enqueueOrLeaveToReconciler } from './scheduler'
import {
  cancelRunningStep,
  claimStep,
  failRunningStep,
  markRunRunning,
  failWaitingStep,
  parkStep,
  renewLease,
  requeueForRetry,
  type CompletedStep,
} from './state-machine'
import type { PendingOutputs } from '@/nodes/_lib/pending-outputs'
import { publishOutputs } from './publish-outputs'
import { buildStepContext, readStoredBlob, resolveInput } from './step-context'
import { StepLogger } from './step-logger'

type StepRow = typeof steps.$inferSelect
type WorkerServices = Pick<Services, 'db' | 'queue' | 'store' | 'samplesDir' | 'env'>

/** the lease holder's heartbeat; it also notices a cancel (or a takeover) within this */
const heartbeatMs = 1000
const progressWriteMs = 250

/**
 * Run one attempt of one step. Idempotent: a second delivery of the same job finds the step
 * claimed or finished and does nothing; a redelivery after a worker crash runs it afresh in a
 * new scratch folder, so no half-written output is ever published.
 */
export async function processStep(services: WorkerServices, job: StepJob): Promise<void> {
  const leaseId = randomUUID()
  const step = await claim(services, job, leaseId)
  if (!step) return
  const stepLogger = new StepLogger(services.db, job.runId, step.id)
  // a crashed earlier delivery may have left a half-written scratch folder: it is never published
  if (services.store.removeScratch(`step-${step.id}-`) > 0) {
    stepLogger.log('warn', 'An earlier try of this step stopped without finishing (its worker died or lost the database); starting it again.')
  }
  const scratchDir = services.store.makeScratchDir(`step-${step.id}-${job.attempt}`)
  const abort = new AbortController()
  const stopWatching = keepLease(services, step.id, leaseId, abort)
  const progress = throttledProgress(services, step.id)
  const started = Date.now()
  let completed: CompletedStep | undefined
  let parked: PendingOutputs['handoff']
  try {
    stepLogger.log('info', `Attempt ${job.attempt} of ${step.maxAttempts} started.`)
    const inputs = await resolveInputs(services, step)
    const { context, pending } = buildStepContext(
      {
        samplesDir: services.samplesDir,
        outbound: { allow: services.env.PIPEWRIGHT_OUTBOUND_ALLOW },
        scratchDir,
        signal: abort.signal,
        resolveArtifact: (id) => resolveInput(services.db, services.store, id),
        readBlob: (id) => readStoredBlob(services.store, id),
        registry: registryView(services.db, step.runId, (id) => resolveInput(services.db, services.store, id)),
        openHandoff: (request) => openStepHandoff(services, step, request),
        log: (level, message) => stepLogger.log(level, message),
        onProgress: progress.report,
        onCurve: progress.reportCurve,
      },
      step.config,
      inputs,
    )
    const executor = executorFor(step.kind)
    const definition = findNodeDefinition(step.kind)
    if (!executor || !definition) throw new StepError(`No executor for node kind "${step.kind}".`)
    await executor(context)
    if (abort.signal.aborted) throw new StepError('Canceled.')
    if (pending.handoff) {
      await progress.stop()
      stepLogger.log('info', 'Waiting for the model: this step holds no worker until it arrives.')
      await stepLogger.flush()
      if (await parkStep(services.db, step.id, leaseId, step.runId)) parked = pending.handoff
    } else if (pending.approval) {
      const kept = keptOutputs(step.kind, definition.ports.out, pending)
      await openApproval(services.db, step, pending.approval, kept, Object.values(inputs).map((input) => input.id))
      await progress.stop()
      stepLogger.log('info', 'Waiting for approval: this step holds no worker until someone approves or rejects it on its page.')
      await stepLogger.flush()
      await parkStep(services.db, step.id, leaseId, step.runId, 'Waiting for approval')
    } else {
      const publishing = { kind: step.kind, nodeId: step.nodeId, runId: step.runId, inputArtifactIds: Object.values(inputs).map((input) => input.id) }
      const outputs = await publishOutputs(services, publishing, definition.ports.out, pending)
      stepLogger.log('info', `Finished in ${Date.now() - started} ms.`)
      await stepLogger.flush()
      await progress.stop()
      completed = { id: step.id, leaseId, outputs }
    }
  } catch (error) {
    await progress.stop()
    // when even recording the failure fails (the database away), the delivery fails: the queue or the reconciler retries it
    await failAttempt(services, { step, job, leaseId }, error, abort.signal.aborted, stepLogger).catch((failure: unknown) => {
      fs.rmSync(scratchDir, { recursive: true, force: true })
      throw failure
    })
  } finally {
    stopWatching()
  }
  if (parked) {
    fs.rmSync(scratchDir, { recursive: true, force: true })
    await startHandoff(services, step, parked)
    return
  }
  try {
    // on success, marking the step done and reading what is ready next are one statement
    await advanceRun(services, job.runId, completed)
  } finally {
    // off the path between this step and the next
    fs.rmSync(scratchDir, { recursive: true, force: true })
  }
}

/** The step is parked: now the trainer may be told (a webhook called, a command started); if it cannot be, the step fails. */
async function startHandoff(services: WorkerServices, step: StepRow, parked: NonNullable<PendingOutputs['handoff']>): Promise<void> {
  if (!parked.start) return
  try {
    await parked.start(parked.ticket)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (await failWaitingStep(services.db, step.id, step.runId, message)) await advanceRun(services, step.runId)
  }
}

/** One round trip in the common case; a source step also marks its run running. */
async function claim(services: WorkerServices, job: StepJob, leaseId: string): Promise<StepRow | undefined> {
  const claimed = await claimStep(services.db, job, leaseId)
  if (claimed && Object.keys(claimed.inputs).length === 0) await markRunRunning(services.db, job.runId)
  return claimed
}

async function resolveInputs(services: WorkerServices, step: StepRow): Promise<Record<string, InputArtifact>> {
  const upstream = await services.db
    .select({ nodeId: steps.nodeId, outputs: steps.outputs })
    .from(steps)
    .where(and(eq(steps.runId, step.runId), inArray(steps.nodeId, Object.values(step.inputs).map((s) => s.nodeId))))
  const outputsByNode = new Map(upstream.map((row) => [row.nodeId, row.outputs]))
  const entries = await Promise.all(
    Object.entries(step.inputs).map(async ([port, source]) => {
      const id = outputsByNode.get(source.nodeId)?.[source.port]
      if (!id) throw new Error(`Input "${port}" has no artifact: step "${source.nodeId}" produced no "${source.port}".`)
      return [port, await resolveInput(services.db, services.store, id)] as const
    }),
  )
  return Object.fromEntries(entries)
}

interface Attempt {
  step: StepRow
  job: StepJob
  leaseId: string
}

async function failAttempt(
  services: WorkerServices,
  { step, job, leaseId }: Attempt,
  error: unknown,
  aborted: boolean,
  stepLogger: StepLogger,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error)
  if (aborted) {
    stepLogger.log('warn', 'Stopped: the run was canceled, or another worker took this step over.')
    await stepLogger.flush()
    await cancelRunningStep(services.db, step.id, leaseId)
    return
  }
  if (!(error instanceof StepError)) logger.warn({ err: error, stepId: step.id }, 'step attempt failed')
  const retryable = (!(error instanceof StepError) || error.retryable) && job.attempt < step.maxAttempts
  if (retryable) {
    const delayMs = step.backoffMs * 2 ** (job.attempt - 1)
    stepLogger.log('warn', `Attempt ${job.attempt} failed: ${message}. Trying again in ${(delayMs / 1000).toFixed(1)} s.`)
    await stepLogger.flush()
    if (await requeueForRetry(services.db, step.id, leaseId, message)) {
      await enqueueOrLeaveToReconciler(services, { runId: job.runId, stepId: step.id, attempt: job.attempt + 1 }, delayMs)
    }
    return
  }
  stepLogger.log('error', message)
  await stepLogger.flush()
  await failRunningStep(services.db, step.id, leaseId, message)
}

/**
 * Renew the lease every heartbeat; when the step is no longer this worker's (canceled, or taken
 * over after this worker was thought dead), stop the executor. A failed renewal (the database
 * briefly away) changes nothing: the executor keeps going.
 */
function keepLease(services: WorkerServices, stepId: string, leaseId: string, abort: AbortController): () => void {
  const timer = setInterval(() => {
    renewLease(services.db, stepId, leaseId)
      .then((held) => {
        if (!held) abort.abort(new Error('The step was canceled or taken over by another worker.'))
      })
      .catch(() => {})
  }, heartbeatMs)
  return () => clearInterval(timer)
}

/** Progress and the live chart, written at most every `progressWriteMs`: executors report in tight loops. */
function throttledProgress(services: WorkerServices, stepId: string) {
  let latest: { fraction: number; message?: string } | undefined
  let curve: CurvePoint[] | undefined
  let written: Promise<unknown> = Promise.resolve()
  const write = () => {
    if (!latest && !curve) return
    const set = { ...(latest ? { progress: latest.fraction, progressMessage: latest.message ?? null } : {}), ...(curve ? { curve } : {}) }
    latest = undefined
    curve = undefined
    written = services.db
      .update(steps)
      .set(set)
      .where(and(eq(steps.id, stepId), eq(steps.status, 'running')))
      .catch(() => {})
  }
  const timer = setInterval(write, progressWriteMs)
  return {
    report(fraction: number, message?: string) {
      latest = { fraction, message }
    },
    reportCurve(points: readonly CurvePoint[]) {
      curve = [...points]
    },
    async stop() {
      clearInterval(timer)
      write()
      await written
    },
  }
}
