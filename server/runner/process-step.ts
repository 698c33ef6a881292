import fs from 'node:fs'
import { and, eq, inArray, or, sql } from 'drizzle-orm'
import { runs, steps, type StepOutputs } from '@/db/schema'
import { StepError, type InputArtifact } from '@/nodes/contract'
import { describeParquet } from '@/nodes/_lib/parquet'
import { executors } from '@/nodes/executors'
import { findNodeDefinition } from '@/nodes/registry'
import { recordArtifact } from '@/server/artifacts/metadata'
import { logger } from '@/server/logger'
import type { Services } from '@/server/services'
import type { StepJob } from './queue'
import { advanceRun, finishRunIfDone, markRunRunning, type CompletedStep } from './scheduler'
import { buildStepContext, resolveInput, type PendingOutputs } from './step-context'
import { StepLogger } from './step-logger'

type StepRow = typeof steps.$inferSelect
type WorkerServices = Pick<Services, 'db' | 'queue' | 'store' | 'samplesDir' | 'env'>

const cancelPollMs = 500
const progressWriteMs = 250

/**
 * Run one attempt of one step. Idempotent: a second delivery of the same job finds the step
 * claimed or finished and does nothing; a redelivery after a worker crash runs it afresh in a
 * new scratch folder, so no half-written output is ever published.
 */
export async function processStep(services: WorkerServices, job: StepJob): Promise<void> {
  const step = await claimStep(services, job)
  if (!step) return
  const stepLogger = new StepLogger(services.db, job.runId, step.id)
  // a crashed earlier delivery may have left a half-written scratch folder: it is never published
  if (services.store.removeScratch(`step-${step.id}-`) > 0) {
    stepLogger.log('warn', 'An earlier try of this step stopped without finishing (its worker died); starting it again.')
  }
  const scratchDir = services.store.makeScratchDir(`step-${step.id}-${job.attempt}`)
  const abort = new AbortController()
  const stopWatching = watchForCancel(services, job.runId, abort)
  const progress = throttledProgress(services, step.id)
  const started = Date.now()
  let completed: CompletedStep | undefined
  try {
    stepLogger.log('info', `Attempt ${job.attempt} of ${step.maxAttempts} started.`)
    const inputs = await resolveInputs(services, step)
    const { context, pending } = buildStepContext(
      {
        ...services,
        outbound: { allow: services.env.PIPEWRIGHT_OUTBOUND_ALLOW },
        scratchDir,
        logger: stepLogger,
        signal: abort.signal,
        onProgress: progress.report,
      },
      step.config,
      inputs,
    )
    const executor = executors[step.kind]
    if (!executor) throw new StepError(`No executor for node kind "${step.kind}".`)
    await executor(context)
    if (abort.signal.aborted) throw new StepError('Canceled.')
    const outputs = await publishOutputs(services, step, pending)
    stepLogger.log('info', `Finished in ${Date.now() - started} ms.`)
    await stepLogger.flush()
    await progress.stop()
    completed = { id: step.id, attempt: job.attempt, outputs }
  } catch (error) {
    await progress.stop()
    await failAttempt(services, step, job, error, abort.signal.aborted, stepLogger)
  } finally {
    stopWatching()
  }
  try {
    // on success, marking the step done and reading what is ready next are one statement
    await advanceRun(services, job.runId, completed)
  } finally {
    // off the path between this step and the next
    fs.rmSync(scratchDir, { recursive: true, force: true })
  }
}

/**
 * One round trip in the common case: a fresh attempt starts from 'queued'; a redelivery after a
 * crash finds its own attempt 'running'. Anything else (finished, claimed by a newer attempt,
 * run canceled) claims nothing.
 */
async function claimStep(services: WorkerServices, job: StepJob): Promise<StepRow | undefined> {
  const [claimed] = await services.db
    .update(steps)
    .set({ status: 'running', attempt: job.attempt, startedAt: new Date(), finishedAt: null, progress: 0, progressMessage: null })
    .where(
      and(
        eq(steps.id, job.stepId),
        or(
          and(eq(steps.status, 'queued'), eq(steps.attempt, job.attempt - 1)),
          and(eq(steps.status, 'running'), eq(steps.attempt, job.attempt)),
        ),
        sql`exists (select 1 from ${runs} where ${runs.id} = ${steps.runId} and ${runs.status} <> 'canceled')`,
      ),
    )
    .returning()
  if (claimed) {
    if (claimed.startedAt && Object.keys(claimed.inputs).length === 0) await markRunRunning(services.db, job.runId)
    return claimed
  }
  await cancelIfRunCanceled(services, job)
  return undefined
}

/** A step handed over after its run was canceled ends as canceled, never as queued forever. */
async function cancelIfRunCanceled(services: WorkerServices, job: StepJob): Promise<void> {
  const [run] = await services.db.select({ status: runs.status }).from(runs).where(eq(runs.id, job.runId))
  if (run && run.status !== 'canceled') return
  await services.db
    .update(steps)
    .set({ status: 'canceled', finishedAt: new Date() })
    .where(and(eq(steps.id, job.stepId), inArray(steps.status, ['queued', 'running'])))
  await finishRunIfDone(services.db, job.runId)
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

/** Hash every output into the store and record its metadata; only now do outputs become visible. */
async function publishOutputs(services: WorkerServices, step: StepRow, pending: PendingOutputs): Promise<StepOutputs> {
  const declared = findNodeDefinition(step.kind)?.ports.out ?? {}
  const outputs: StepOutputs = {}
  for (const [port, type] of Object.entries(declared)) {
    if (type === 'dataset') {
      const file = pending.datasets.get(port)
      if (!file || !fs.existsSync(file)) throw new Error(`The ${step.kind} executor wrote no "${port}" dataset.`)
      const { rowCount, schema } = await describeParquet(file)
      const blob = await services.store.putFile(file)
      await recordArtifact(services.db, {
        id: blob.id,
        kind: 'dataset',
        sizeBytes: blob.sizeBytes,
        mediaType: 'application/vnd.apache.parquet',
        filename: `${step.nodeId}.${port}.parquet`,
        rowCount,
        schema,
      })
      outputs[port] = blob.id
    } else if (type === 'report') {
      if (!pending.reports.has(port)) throw new Error(`The ${step.kind} executor wrote no "${port}" report.`)
      const blob = await services.store.putBytes(JSON.stringify(pending.reports.get(port)))
      await recordArtifact(services.db, {
        id: blob.id,
        kind: 'report',
        sizeBytes: blob.sizeBytes,
        mediaType: 'application/json',
        filename: `${step.nodeId}.${port}.json`,
      })
      outputs[port] = blob.id
    }
  }
  return outputs
}

async function failAttempt(
  services: WorkerServices,
  step: StepRow,
  job: StepJob,
  error: unknown,
  canceled: boolean,
  stepLogger: StepLogger,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error)
  const stillRunning = and(eq(steps.id, step.id), eq(steps.status, 'running'), eq(steps.attempt, job.attempt))
  if (canceled) {
    stepLogger.log('warn', 'Canceled.')
    await stepLogger.flush()
    await services.db.update(steps).set({ status: 'canceled', finishedAt: new Date() }).where(stillRunning)
    return
  }
  if (!(error instanceof StepError)) logger.warn({ err: error, stepId: step.id }, 'step attempt failed')
  const retryable = (!(error instanceof StepError) || error.retryable) && job.attempt < step.maxAttempts
  if (retryable) {
    const delayMs = step.backoffMs * 2 ** (job.attempt - 1)
    stepLogger.log('warn', `Attempt ${job.attempt} failed: ${message}. Trying again in ${(delayMs / 1000).toFixed(1)} s.`)
    await stepLogger.flush()
    const requeued = await services.db.update(steps).set({ status: 'queued', error: message }).where(stillRunning).returning()
    if (requeued.length > 0) {
      await services.queue.enqueue({ runId: job.runId, stepId: step.id, attempt: job.attempt + 1 }, { delayMs })
    }
    return
  }
  stepLogger.log('error', message)
  await stepLogger.flush()
  await services.db.update(steps).set({ status: 'failed', error: message, finishedAt: new Date() }).where(stillRunning)
}

function watchForCancel(services: WorkerServices, runId: string, abort: AbortController): () => void {
  const timer = setInterval(() => {
    services.db
      .select({ status: runs.status })
      .from(runs)
      .where(eq(runs.id, runId))
      .then(([run]) => {
        if (run?.status === 'canceled') abort.abort(new Error('The run was canceled.'))
      })
      .catch(() => {})
  }, cancelPollMs)
  return () => clearInterval(timer)
}

function throttledProgress(services: WorkerServices, stepId: string) {
  let latest: { fraction: number; message?: string } | undefined
  let written: Promise<unknown> = Promise.resolve()
  const write = () => {
    if (!latest) return
    const { fraction, message } = latest
    latest = undefined
    written = services.db
      .update(steps)
      .set({ progress: fraction, progressMessage: message ?? null })
      .where(and(eq(steps.id, stepId), eq(steps.status, 'running')))
      .catch(() => {})
  }
  const timer = setInterval(write, progressWriteMs)
  return {
    report(fraction: number, message?: string) {
      latest = { fraction, message }
    },
    async stop() {
      clearInterval(timer)
      write()
      await written
    },
  }
}
