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

/**
 * The seam between the scheduler and whatever runs steps: BullMQ on Redis, or an in-process
 * queue. Delivery is at least once; handlers must be idempotent.
 */
export interface StepQueue {
  readonly kind: 'bullmq' | 'in-process'
  enqueue(job: StepJob, options?: { delayMs?: number }): Promise<void>
  /** start taking jobs in this process */
  startWorker(handler: StepHandler, concurrency: number): Promise<void>
  close(): Promise<void>
}
