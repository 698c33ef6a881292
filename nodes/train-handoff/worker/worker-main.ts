// Runs inside the worker thread: one training job from workerData, progress and the result back
// as messages. The result's weight (or tree) arrays are transferred, not copied.
import { parentPort, workerData } from 'node:worker_threads'
import type { EpochProgress } from '../tabular/params'
import type { WorkerJob, WorkerMessage, WorkerResult } from './protocol'

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer)
}

function resultArrays(result: WorkerResult): ArrayBufferView[] {
  if ('cnn' in result) return [...result.cnn.conv.flatMap((l) => [l.kernel, l.bias]), result.cnn.dense, result.cnn.denseBias]
  if ('weights' in result) return result.weights.layers.flatMap((l) => [l.weight, l.bias])
  return result.model.trees.flatMap((t) => [t.feature, t.threshold, t.splitBin, t.left, t.right, t.value])
}

function resultBuffers(result: WorkerResult): ArrayBuffer[] {
  const arrays = resultArrays(result)
  return [...new Set(arrays.map((a) => a.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)
}

// No AbortSignal here: the parent cancels by terminating this thread. Each trainer is imported
// when asked for, so a trees job does not wait for TensorFlow.js to load.
async function train(job: WorkerJob, onProgress: (progress: EpochProgress) => void): Promise<WorkerResult> {
  if (job.algorithm === 'gradient-boosting') return (await import('../trees/train')).trainTreesJob(job, { onProgress })
  if (job.algorithm === 'cnn') return (await import('../image/cnn-job')).trainCnnJob(job, { onProgress })
  return (await import('../tabular/train')).trainTabular(job, { onProgress, log: (message) => post({ type: 'log', message }) })
}

async function main(job: WorkerJob): Promise<void> {
  try {
    const result = await train(job, (progress) => post({ type: 'progress', progress }))
    post({ type: 'done', result }, resultBuffers(result))
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error))
    post({ type: 'error', name: e.name, message: e.message })
  }
}

const data: { job: WorkerJob } = workerData
await main(data.job)
