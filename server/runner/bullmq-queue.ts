import { Queue, Worker } from 'bullmq'
import IORedis from 'ioredis'
import { logger } from '@/server/logger'
import {
  infrastructureDeliveries,
  jobId,
  QueueUnavailableError,
  stepJob,
  type JobFate,
  type StepHandler,
  type StepJob,
  type StepQueue,
} from './queue'

export interface BullQueueOptions {
  redisUrl: string
  /** one name per installation; tests give each run its own */
  queueName?: string
  /** how soon a step whose worker died is delivered again, at the latest */
  stalledIntervalMs?: number
}

/** a producer call (enqueue, inspect) answers within this or fails: a web request must not hang on Redis */
const producerTimeoutMs = 3000
const liveStates = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children'])

/**
 * Steps through BullMQ. Retries and backoff are the scheduler's (they live in the database,
 * so both queue kinds behave alike); BullMQ supplies durable delivery and stalled-job recovery:
 * a job whose worker died is handed to another worker.
 */
export class BullStepQueue implements StepQueue {
  readonly kind = 'bullmq'
  /** fails fast while Redis is away (no offline queue), so callers learn it at once */
  private readonly producer: IORedis
  private readonly queue: Queue
  private worker: Worker | undefined
  private workerConnection: IORedis | undefined
  private readonly queueName: string

  constructor(private readonly options: BullQueueOptions) {
    this.queueName = options.queueName ?? 'pipewright-steps'
    this.producer = new IORedis(options.redisUrl, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: producerTimeoutMs,
      connectTimeout: producerTimeoutMs,
    })
    this.producer.on('error', (error) => logger.debug({ err: error }, 'redis producer connection error'))
    this.queue = new Queue(this.queueName, { connection: this.producer })
    this.queue.on('error', (error) => logger.debug({ err: error }, 'bullmq queue error'))
  }

  /** At start: Redis must answer, within a few seconds. */
  async ping(): Promise<void> {
    try {
      await this.waitForConnection(5000)
      await this.producer.ping()
    } catch (error) {
      throw new Error(`Cannot reach Redis at REDIS_URL: ${(error as Error).message}`)
    }
  }

  private async waitForConnection(timeoutMs: number): Promise<void> {
    if (this.producer.status === 'ready') return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs)
      this.producer.once('ready', () => {
        clearTimeout(timer)
        resolve()
      })
    })
  }

  async enqueue(job: StepJob, options: { delayMs?: number } = {}): Promise<void> {
    await this.producerCall('enqueue a step', () =>
      this.queue.add('step', job, {
        // one job per step attempt: a second enqueue of the same attempt is a no-op
        jobId: jobId(job),
        delay: options.delayMs,
        // a step's own failures are handled (and retried) by the scheduler; these deliveries are
        // for the infrastructure failing under it, e.g. the database being briefly unreachable
        attempts: infrastructureDeliveries,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 86_400 },
      }),
    )
  }

  async jobFate(job: StepJob): Promise<JobFate> {
    const found = await this.producerCall('look up a job', () => this.queue.getJob(jobId(job)))
    if (!found) return { live: false }
    const state = await this.producerCall('look up a job', () => found.getState())
    return liveStates.has(state) ? { live: true } : { live: false, failedReason: found.failedReason || undefined }
  }

  async redeliver(job: StepJob): Promise<void> {
    // BullMQ will not add a job id it still keeps as completed or failed: drop that one first
    await this.producerCall('drop a finished job', () => this.queue.remove(jobId(job)))
    await this.enqueue(job)
  }

  private async producerCall<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      if (this.producer.status === 'ready' && !isTimeout(error)) throw error
      throw new QueueUnavailableError(`Could not ${what}: Redis is not reachable (${(error as Error).message}).`)
    }
  }

  async startWorker(handler: StepHandler, concurrency: number): Promise<void> {
    // A dead worker's job is seen as stalled once its lock has expired (at most lockDuration after
    // its last renewal) and a stalled check has run after that (at most stalledInterval later):
    // two thirds and one third of the documented interval keep the sum within it.
    const deadline = this.options.stalledIntervalMs ?? 30_000
    this.workerConnection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null })
    this.workerConnection.on('error', (error) => logger.debug({ err: error }, 'redis worker connection error'))
    this.worker = new Worker(this.queueName, async (job) => handler(stepJob.parse(job.data)), {
      connection: this.workerConnection,
      concurrency,
      lockDuration: Math.round((deadline * 2) / 3),
      stalledInterval: Math.round(deadline / 3),
      maxStalledCount: 3,
    })
    this.worker.on('error', (error) => logger.error({ err: error }, 'bullmq worker error'))
    await this.worker.waitUntilReady()
  }

  async close(): Promise<void> {
    await this.worker?.close()
    await this.queue.close().catch(() => {})
    await this.workerConnection?.quit().catch(() => {})
    await this.producer.quit().catch(() => this.producer.disconnect())
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && /timed? ?out/i.test(error.message)
}
