// Messages between trainInWorker (main thread) and the training worker.
import type { EpochProgress, TabularJobInput } from '../tabular/params'
import type { TrainResult } from '../tabular/train'
import type { TreesJobInput } from '../trees/params'
import type { TreesResult } from '../trees/train'
import type { CnnJobInput, CnnResult } from '../image/cnn-params'

/** A network (or ridge) job, a gradient-boosting one or an image CNN one: told apart by `algorithm`. */
export type WorkerJob = TabularJobInput | TreesJobInput | CnnJobInput
export type WorkerResult = TrainResult | TreesResult | CnnResult

export type WorkerMessage =
  | { type: 'progress'; progress: EpochProgress }
  | { type: 'log'; message: string }
  | { type: 'done'; result: WorkerResult }
  | { type: 'error'; name: string; message: string }

/** The TypeScript module the .mjs entry imports, relative to the repository root. */
export const workerModule = 'nodes/train-handoff/worker/worker-main.ts'
export const workerEntry = 'nodes/train-handoff/worker/entry.mjs'
