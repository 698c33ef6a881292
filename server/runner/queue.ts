import { z } from 'zod'

/** What travels through the queue: just ids. The database holds the truth. */
export const stepJob = z.object({
  runId: z.uuid(),
  stepId: z.uuid(),
  /** 1 for the first try */
  attempt: z.number().int().min(1),
})
export type StepJob = z.infer<typeof stepJob>

export type StepHandler = (job: StepJob) => Promise<void>

/** How often a job is delivered when its handler itself throws (not the step: the infrastructure under it). */
export const infrastructureDeliveries = 3

/** What the queue knows of one job: `live` while it waits, is delayed or is being run. */
export type JobFate = { live: true } | { live: false; failedReason?: string }

/** The queue (Redis) did not answer in time; the database still holds the step, the reconciler hands it over later. */
export class QueueUnavailableError extends Error {
  override name = 'QueueUnavailableError'
}

/**
 * The seam between the scheduler and whatever runs steps: BullMQ on Redis, or an in-process
 * queue. Delivery is at least once; handlers must be idempotent.
 */
export interface StepQueue {
  readonly kind: 'bullmq' | 'in-process'
  /** a second enqueue of a job the queue still holds is a no-op; fails fast with QueueUnavailableError */
  enqueue(job: StepJob, options?: { delayMs?: number }): Promise<void>
  /** whether the queue still holds this job to deliver (or is delivering it) */
  jobFate(job: StepJob): Promise<JobFate>
  /** enqueue again a job the queue has finished with or lost (a finished job is dropped first) */
  redeliver(job: StepJob): Promise<void>
  /** start taking jobs in this process */
  startWorker(handler: StepHandler, concurrency: number): Promise<void>
  close(): Promise<void>
}

export function jobId(job: StepJob): string {
  return `${job.stepId}-${job.attempt}`
}
