// Server-only: one deployed model version, ready to answer. Its sessions run in worker threads;
// concurrent requests with a free batch dimension are micro-batched into one session call; a
// bounded queue refuses work it could not answer in time; every request has a time limit.
//
// When a run starts: a free thread takes the next batch at once when the model is idle (waiting
// would only add latency), when the batch is full (maxBatch rows), or when its oldest request has
// waited maxWaitMs; otherwise a busy model gathers for up to maxWaitMs so one call answers many.
import { performance } from 'node:perf_hooks'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { ModelLoadError, type Feeds, type Outputs } from '@/nodes/_lib/models/session-thread/session-thread'
import { concatFeeds, splitOutputs } from './batching'
import { InferenceFailedError, InferenceTimeoutError, ServingBusyError, ServingClosedError } from './errors'
import { batchDimensionIsDynamic, checkFeeds, inputSpecs, type InputSpec } from './feeds'
import { servingOptionsSchema, type ServingOptions, type ServingOptionsInput } from './options'
import { RequestQueue, type InferResult, type NextRun, type PendingRequest } from './request-queue'
import { ThreadPool, ThreadStoppedError, type ModelSource } from './thread-pool'
import { warmupFeeds } from './warmup'

export type { InferResult }

export type ServedModelSource = ModelSource & { metadata: ModelMetadata; options?: ServingOptionsInput }

export interface InferOptions {
  /** aborting fails the request with the signal's reason; a late answer is dropped */
  signal?: AbortSignal
  /** this request's time limit instead of the model's */
  timeoutMs?: number
}

export interface ServingStats {
  /** requests accepted into the queue */
  requests: number
  /** session calls, warm-up excluded: fewer than requests when batching happened */
  runs: number
  /** rows across all runs (a failed batch's rows count again when retried one by one) */
  rows: number
  largestBatchRows: number
  queued: number
  /** requests in a running session call */
  inFlight: number
  busyRejections: number
  timeouts: number
  failures: number
  /** false when the batch dimension is fixed, or the outputs turned out not to follow it */
  batching: boolean
  threads: number
  /** threads not crashed */
  liveThreads: number
}

export class ServedModel {
  private readonly queue = new RequestQueue()
  private readonly counters = { requests: 0, runs: 0, rows: 0, largestBatchRows: 0, busyRejections: 0, timeouts: 0, failures: 0 }
  private inFlight = 0
  private batching: boolean
  private pumpScheduled = false
  private wakeTimer: NodeJS.Timeout | null = null
  /** a running estimate of one session call, for Retry-After */
  private runMs = 5
  private closing: Promise<void> | null = null
  private drained: (() => void) | null = null

  private constructor(
    private readonly threads: ThreadPool,
    private readonly inputs: InputSpec[],
    readonly metadata: ModelMetadata,
    readonly options: ServingOptions,
  ) {
    this.batching = batchDimensionIsDynamic(inputs)
  }

  /** Loads the model in `threads` worker threads and warms each one; rejects with ModelLoadError. */
  static async open(source: ServedModelSource): Promise<ServedModel> {
    const options = servingOptionsSchema.parse(source.options ?? {})
    const model: ModelSource = 'path' in source ? { path: source.path } : { bytes: source.bytes }
    const threads = await ThreadPool.open(model, options.threads, options.intraOpThreads)
    try {
      const inputs = inputSpecs(threads.inputs)
      checkMetadataMatches(source.metadata, inputs)
      await threads.warm(warmupFeeds(inputs, source.metadata.features)).catch((error: unknown) => {
        throw new ModelLoadError(`The model loaded but failed its warm-up run on one row of zeros: ${messageOf(error)}`)
      })
      return new ServedModel(threads, inputs, source.metadata, options)
    } catch (error) {
      await threads.terminate()
      throw error
    }
  }

  infer(feeds: Feeds, options: InferOptions = {}): Promise<InferResult> {
    try {
      if (this.closing) throw new ServingClosedError('This model version is closing and takes no new requests.')
      if (this.threads.alive === 0) throw noThreadsLeft()
      options.signal?.throwIfAborted()
      const checked = checkFeeds(feeds, this.inputs)
      if (this.queue.length >= this.options.maxQueue) {
        this.counters.busyRejections++
        throw new ServingBusyError(this.retryAfterSeconds(), this.queue.length)
      }
      return this.enqueue(feeds, checked.rows, checked.batchKey, options)
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  stats(): ServingStats {
    return { ...this.counters, queued: this.queue.length, inFlight: this.inFlight, batching: this.batching, threads: this.threads.size, liveThreads: this.threads.alive }
  }

  get isClosing(): boolean {
    return this.closing !== null
  }

  /** Refuses new requests, answers the queued and running ones, then ends the threads. */
  close(): Promise<void> {
    this.closing ??= this.drain()
    return this.closing
  }

  private async drain(): Promise<void> {
    if (this.queue.length > 0 || this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve
        this.schedulePump()
      })
    }
    if (this.wakeTimer) clearTimeout(this.wakeTimer)
    await this.threads.release()
  }

  private enqueue(feeds: Feeds, rows: number, batchKey: string, options: InferOptions): Promise<InferResult> {
    // a caller's limit (from a request header, say) that is no positive number falls back to the model's
    const timeoutMs = options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 ? Math.min(options.timeoutMs, 600_000) : this.options.timeoutMs
    return new Promise<InferResult>((resolve, reject) => {
      const request: PendingRequest = {
        feeds,
        rows,
        batchKey,
        arrivedAt: performance.now(),
        alone: false,
        settled: false,
        resolve: (result) => settle(() => resolve(result)),
        reject: (error) => settle(() => reject(error)),
      }
      const onAbort = () => this.giveUp(request, options.signal?.reason instanceof Error ? options.signal.reason : new Error('The request was aborted.'))
      const timer = setTimeout(() => {
        this.counters.timeouts++
        this.giveUp(request, new InferenceTimeoutError(timeoutMs))
      }, timeoutMs)
      const settle = (outcome: () => void) => {
        if (request.settled) return
        request.settled = true
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
        outcome()
      }
      options.signal?.addEventListener('abort', onAbort, { once: true })
      this.counters.requests++
      this.queue.push(request)
      this.schedulePump()
    })
  }

  /** A timed-out or aborted request leaves the queue; if it is running, its answer will be dropped. */
  private giveUp(request: PendingRequest, error: Error): void {
    this.queue.remove(request)
    request.reject(error)
    this.checkDrained()
  }

  /** Pumps after the current tick, so requests that arrive together are seen together. */
  private schedulePump(): void {
    if (this.pumpScheduled) return
    this.pumpScheduled = true
    setImmediate(() => {
      this.pumpScheduled = false
      this.pump()
    })
  }

  private pump(): void {
    if (this.wakeTimer) {
      clearTimeout(this.wakeTimer)
      this.wakeTimer = null
    }
    if (this.threads.alive === 0) {
      const stranded = this.queue.peekAll()
      this.queue.take(stranded)
      for (const request of stranded) request.reject(noThreadsLeft())
    }
    while (this.threads.hasCapacity()) {
      const next = this.queue.peekRun(this.batching, this.options.maxBatch)
      if (!next) break
      const waited = performance.now() - next.requests[0]!.arrivedAt
      const ready = next.full || waited >= this.options.maxWaitMs || this.threads.running === 0 || this.closing !== null
      if (!ready) {
        this.wakeTimer = setTimeout(() => this.pump(), Math.max(0, this.options.maxWaitMs - waited))
        break
      }
      this.queue.take(next.requests)
      this.dispatch(next)
    }
    this.checkDrained()
  }

  private dispatch(run: NextRun): void {
    const requests = run.requests
    this.counters.runs++
    this.counters.rows += run.rows
    this.counters.largestBatchRows = Math.max(this.counters.largestBatchRows, run.rows)
    this.inFlight += requests.length
    const started = performance.now()
    this.threads
      .run(concatFeeds(requests.map((r) => r.feeds)))
      .then(
        (outputs) => {
          this.runEnded(requests, started)
          this.answer(requests, run.rows, outputs)
        },
        (error: unknown) => {
          this.runEnded(requests, started)
          this.fail(requests, error)
        },
      )
  }

  /** Counted before the answers go out, so a caller who sees its answer sees the run ended. */
  private runEnded(requests: readonly PendingRequest[], started: number): void {
    this.runMs = 0.8 * this.runMs + 0.2 * (performance.now() - started)
    this.inFlight -= requests.length
    this.schedulePump()
  }

  private answer(requests: PendingRequest[], rows: number, outputs: Outputs): void {
    const answers = splitOutputs(outputs, requests.map((r) => r.rows))
    if (!answers) {
      // an output whose first dimension is not the rows: batching cannot be undone for this model
      this.batching = false
      this.retryAlone(requests)
      return
    }
    const now = performance.now()
    requests.forEach((request, i) => request.resolve({ outputs: answers[i]!, latencyMs: now - request.arrivedAt, batchRows: rows }))
  }

  private fail(requests: PendingRequest[], error: unknown): void {
    if (error instanceof ThreadStoppedError) {
      // not these requests' fault: another thread answers them, or none is left to
      if (this.threads.alive > 0) this.queue.putBack(requests.filter((r) => !r.settled))
      else for (const request of requests) request.reject(noThreadsLeft())
      return
    }
    if (requests.length > 1) {
      this.retryAlone(requests)
      return
    }
    this.counters.failures++
    requests[0]!.reject(new InferenceFailedError(messageOf(error)))
  }

  /** A failed batch is run again request by request, so one bad request fails alone. */
  private retryAlone(requests: PendingRequest[]): void {
    const waiting = requests.filter((r) => !r.settled)
    for (const request of waiting) request.alone = true
    this.queue.putBack(waiting)
  }

  private checkDrained(): void {
    if (this.drained && this.queue.length === 0 && this.inFlight === 0) {
      this.drained()
      this.drained = null
    }
  }

  /** Whole seconds until the queue ahead would be answered at the recent pace; at least 1. */
  private retryAfterSeconds(): number {
    const runsAhead = this.batching ? Math.ceil(this.queue.rows / this.options.maxBatch) : this.queue.length
    return Math.max(1, Math.ceil((runsAhead * this.runMs) / this.threads.size / 1000))
  }
}

function checkMetadataMatches(metadata: ModelMetadata, inputs: readonly InputSpec[]): void {
  const declared = metadata.inputs.map((i) => i.name).sort()
  const actual = inputs.map((i) => i.name).sort()
  if (declared.join('\n') !== actual.join('\n')) {
    throw new ModelLoadError(`The model's metadata names inputs ${declared.join(', ')}, but the ONNX graph takes ${actual.join(', ')}.`)
  }
}

function noThreadsLeft(): ServingClosedError {
  return new ServingClosedError("Every thread of this model version has stopped; it answers no more requests until it is loaded again.")
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
