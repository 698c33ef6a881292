// How one served model batches, queues and times out, checked by zod because deployments carry
// these settings from user input.
import { z } from 'zod'

export const servingOptionsSchema = z.object({
  /** sessions of the model, each in a worker thread of its own */
  threads: z.number().int().min(1).max(64).default(1),
  /** the most rows one session call takes when requests are batched together */
  maxBatch: z.number().int().min(1).max(100_000).default(32),
  /** how long a busy model gathers requests into one batch before it runs what it has */
  maxWaitMs: z.number().min(0).max(1000).default(2),
  /** requests waiting for a thread before new ones are refused with ServingBusyError */
  maxQueue: z.number().int().min(0).max(1_000_000).default(256),
  /** per request, from its arrival to its answer */
  timeoutMs: z.number().int().min(1).max(600_000).default(5000),
  /** the onnxruntime threads each session may use; one per session keeps sessions from fighting over cores */
  intraOpThreads: z.number().int().min(1).max(64).default(1),
})

export type ServingOptionsInput = z.input<typeof servingOptionsSchema>
export type ServingOptions = z.output<typeof servingOptionsSchema>
