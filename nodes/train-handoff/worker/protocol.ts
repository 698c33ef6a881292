// Messages between trainInWorker (main thread) and the training worker.
import type { EpochProgress } from '../tabular/params'
import type { TrainResult } from '../tabular/train'

export type WorkerMessage =
  | { type: 'progress'; progress: EpochProgress }
  | { type: 'log'; message: string }
  | { type: 'done'; result: TrainResult }
  | { type: 'error'; name: string; message: string }

/** The TypeScript module the .mjs entry imports, relative to the repository root. */
export const workerModule = 'nodes/train-handoff/worker/worker-main.ts'
export const workerEntry = 'nodes/train-handoff/worker/entry.mjs'
