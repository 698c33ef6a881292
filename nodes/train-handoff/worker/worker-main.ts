// Runs inside the worker thread: one training job from workerData, progress and the result back
// as messages. The result's weight arrays are transferred, not copied.
import { parentPort, workerData } from 'node:worker_threads'
import type { TabularJobInput } from '../tabular/params'
import { trainTabular, type TrainResult } from '../tabular/train'
import type { WorkerMessage } from './protocol'

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer)
}

function weightBuffers(result: TrainResult): ArrayBuffer[] {
  return result.weights.layers.flatMap((l) => [l.weight.buffer, l.bias.buffer]).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)
}

async function main(job: TabularJobInput): Promise<void> {
  try {
    const result = await trainTabular(job, {
      onProgress: (progress) => post({ type: 'progress', progress }),
      log: (message) => post({ type: 'log', message }),
    })
    post({ type: 'done', result }, weightBuffers(result))
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error))
    post({ type: 'error', name: e.name, message: e.message })
  }
}

const data: { job: TabularJobInput } = workerData
await main(data.job)
