import { Queue, Worker } from 'bullmq'
import IORedis from 'ioredis'
import { logger } from '@/server/logger'
import { infrastructureDeliveries, stepJob, type StepHandler, type StepJob, type StepQueue } from './queue'

export interface BullQueueOptions {
  redisUrl: string
  /** one name per installation; tests give each run its own */
  queueName?: string
  stalledIntervalMs?: number
}

/**
 * Steps through BullMQ. Retries and backoff are the scheduler's (they live in the database,
 * so both queue kinds behave alike); BullMQ supplies durable delivery and stalled-job recovery:
 * a job whose worker died is handed to another worker.
 */
export class BullStepQueue implements StepQueue {
  readonly kind = 'bullmq'
  private readonly connection: IORedis
  private readonly queue: Queue
  private worker: Worker | undefined
  private workerConnection: IORedis | undefined
  private readonly queueName: string

  constructor(private readonly options: BullQueueOptions) {
    this.queueName = options.queueName ?? 'pipewright-steps'
    this.connection = new IORedis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false })
    this.queue = new Queue(this.queueName, { connection: this.connection })
  }

  async ping(): Promise<void> {
    try {
      await this.connection.ping()
    } catch (error) {
      throw new Error(`Cannot reach Redis at REDIS_URL: ${(error as Error).message}`)
    }
  }

  async enqueue(job: StepJob, options: { delayMs?: number } = {}): Promise<void> {
    await this.queue.add('step', job, {
      // one job per step attempt: a second enqueue of the same attempt is a no-op
      jobId: `${job.stepId}-${job.attempt}`,
      delay: options.delayMs,
      // a step's own failures are handled (and retried) by the scheduler; these deliveries are
      // for the infrastructure failing under it, e.g. the database being briefly unreachable
      attempts: infrastructureDeliveries,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 86_400 },
    })
  }

  async startWorker(handler: StepHandler, concurrency: number): Promise<void> {
    const stalledInterval = this.options.stalledIntervalMs ?? 30_000
    this.workerConnection = this.connection.duplicate()
    this.worker = new Worker(this.queueName, async (job) => handler(stepJob.parse(job.data)), {
      connection: this.workerConnection,
      concurrency,
      stalledInterval,
      lockDuration: stalledInterval,
      maxStalledCount: 5,
    })
    this.worker.on('error', (error) => logger.error({ err: error }, 'bullmq worker error'))
    await this.worker.waitUntilReady()
  }

  async close(): Promise<void> {
    await this.worker?.close()
    await this.queue.close()
    await this.workerConnection?.quit().catch(() => {})
    await this.connection.quit().catch(() => {})
  }
}
