// Training off the main thread: the web server's event loop (requests, job heartbeats) keeps
// running while TensorFlow.js (a network, the image CNN, or the gradient-boosted trees) trains in a worker thread. The feature matrix is transferred to
// the worker, not copied; cancel terminates the thread at once, wherever it is.
import { resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { EpochProgress, TabularJobInput } from '../tabular/params'
import type { TrainResult } from '../tabular/train'
import type { TreesJobInput } from '../trees/params'
import type { TreesResult } from '../trees/train'
import type { CnnJobInput, CnnResult } from '../image/cnn-params'
import { workerEntry, workerModule, type WorkerJob, type WorkerMessage, type WorkerResult } from './protocol'

export interface WorkerTrainOptions {
  onProgress?: (progress: EpochProgress) => void
  log?: (message: string) => void
  signal?: AbortSignal
  /**
   * Move the job's typed arrays to the worker instead of copying them (default true): the
   * caller's arrays are empty afterwards. Arrays on a SharedArrayBuffer are shared either way.
   */
  transfer?: boolean
  /** the repository root, where the worker's files are found; default process.cwd() */
  root?: string
}

function canceled(): Error {
  return Object.assign(new Error('training canceled'), { name: 'AbortError' })
}

/** The distinct whole buffers behind the job's arrays; views into a larger buffer are copied. */
function transferable(job: WorkerJob): ArrayBuffer[] {
  const arrays = [job.train.features, job.train.targets, job.validation?.features, job.validation?.targets]
  const buffers = new Set<ArrayBuffer>()
  for (const a of arrays) {
    if (a && a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) buffers.add(a.buffer)
  }
  return [...buffers]
}

export function trainInWorker(job: TabularJobInput, options?: WorkerTrainOptions): Promise<TrainResult>
export function trainInWorker(job: TreesJobInput, options?: WorkerTrainOptions): Promise<TreesResult>
export function trainInWorker(job: CnnJobInput, options?: WorkerTrainOptions): Promise<CnnResult>
export function trainInWorker(job: WorkerJob, options: WorkerTrainOptions = {}): Promise<WorkerResult> {
  const { signal, onProgress, log = console.warn, transfer = true } = options
  if (signal?.aborted) return Promise.reject(canceled())
  const root = options.root ?? process.cwd()
  // paths of files on disk at run time: the bundler must not try to follow them into the project
  const entry = resolve(/* turbopackIgnore: true */ root, workerEntry)
  const module = resolve(/* turbopackIgnore: true */ root, workerModule)
  return new Promise<WorkerResult>((resolvePromise, reject) => {
    const worker = new Worker(/* turbopackIgnore: true */ entry, {
      workerData: { job, module },
      transferList: transfer ? transferable(job) : [],
      // the parent's loader flags (tsx, vitest) are of no use here: entry.mjs registers its own
      execArgv: [],
    })
    let settled = false
    const finish = (outcome: () => void) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      void worker.terminate()
      outcome()
    }
    const onAbort = () => finish(() => reject(canceled()))
    signal?.addEventListener('abort', onAbort, { once: true })
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.progress)
      else if (message.type === 'log') log(message.message)
      else if (message.type === 'done') finish(() => resolvePromise(message.result))
      else finish(() => reject(Object.assign(new Error(message.message), { name: message.name })))
    })
    worker.on('error', (error) => finish(() => reject(error)))
    worker.on('exit', (code) => finish(() => reject(new Error(`the training worker stopped (exit code ${code}) before it finished`))))
  })
}
