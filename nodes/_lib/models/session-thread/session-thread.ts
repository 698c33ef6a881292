// Server-only: an ONNX model's session in its own worker thread. onnxruntime-node's `run` blocks
// the thread that calls it, so a session on the main thread stalls everything else there (the
// next batch being read, requests, job heartbeats); in a thread of its own it runs beside them.
// Runs are answered in the order they were sent; several may be in flight.
import { resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import ort from 'onnxruntime-node'

export interface TensorData {
  type: string
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[] | boolean[] | ArrayLike<unknown>
  dims: readonly number[]
}

export type Feeds = Record<string, TensorData>
export type Outputs = Record<string, TensorData>

export interface ValueInfo {
  name: string
  isTensor: boolean
  type: string | null
  shape: (number | string)[] | null
}

/** What runs a model: a session in a thread of its own, or one in this thread (tests, tools). */
export interface ModelRunner {
  run(feeds: Feeds): Promise<Outputs>
  release(): Promise<void>
}

type FromThread =
  | { type: 'ready'; inputs: ValueInfo[]; outputs: ValueInfo[] }
  | { type: 'load-failed'; message: string }
  | { type: 'result'; id: number; outputs: Outputs }
  | { type: 'run-failed'; id: number; message: string }

/** Relative to the repository root; a runtime path the bundler must not follow. */
const entryPath = 'nodes/_lib/models/session-thread/entry.mjs'

export class ModelLoadError extends Error {
  override name = 'ModelLoadError'
}

export class SessionThread implements ModelRunner {
  private nextId = 0
  private readonly pending = new Map<number, { resolve(outputs: Outputs): void; reject(error: Error): void }>()
  private stopped: Error | null = null

  private constructor(
    private readonly worker: Worker,
    readonly inputs: ValueInfo[],
    readonly outputs: ValueInfo[],
  ) {
    worker.on('message', (message: FromThread) => this.answer(message))
    worker.on('error', (error) => this.stop(error))
    worker.on('exit', (code) => this.stop(new Error(`the model's thread stopped (exit code ${code})`)))
  }

  /** Starts a thread and loads the model there; rejects with ModelLoadError when onnxruntime refuses it. */
  static async open(model: { path: string } | { bytes: Uint8Array }, sessionOptions: ort.InferenceSession.SessionOptions = {}, root = process.cwd()): Promise<SessionThread> {
    const entry = resolve(/* turbopackIgnore: true */ root, entryPath)
    const workerData = 'path' in model ? { modelPath: model.path, sessionOptions } : { modelBytes: model.bytes, sessionOptions }
    // the parent's loader flags (tsx, vitest) are of no use to a plain .mjs entry
    const worker = new Worker(/* turbopackIgnore: true */ entry, { workerData, execArgv: [] })
    const first = await firstMessage(worker)
    if (first.type !== 'ready') {
      await worker.terminate()
      throw new ModelLoadError(first.type === 'load-failed' ? first.message : 'the model thread answered before it was ready')
    }
    return new SessionThread(worker, first.inputs, first.outputs)
  }

  /** False once the thread has ended (released, terminated or crashed): it answers no more runs. */
  get isRunning(): boolean {
    return this.stopped === null
  }

  run(feeds: Feeds): Promise<Outputs> {
    if (this.stopped) return Promise.reject(this.stopped)
    const id = this.nextId++
    return new Promise<Outputs>((resolvePromise, reject) => {
      this.pending.set(id, { resolve: resolvePromise, reject })
      this.worker.postMessage({ type: 'run', id, feeds })
    })
  }

  /** Lets the runs in flight finish, then ends the thread. */
  async release(): Promise<void> {
    if (this.stopped) return
    const exited = new Promise<void>((resolvePromise) => this.worker.once('exit', () => resolvePromise()))
    this.worker.postMessage({ type: 'release' })
    await exited
  }

  /** Ends the thread at once; runs in flight fail. Only for a thread with no run inside onnxruntime: ending one mid-run can abort the process. */
  async terminate(): Promise<void> {
    await this.worker.terminate()
  }

  private answer(message: FromThread): void {
    if (message.type !== 'result' && message.type !== 'run-failed') return
    const waiting = this.pending.get(message.id)
    if (!waiting) return
    this.pending.delete(message.id)
    if (message.type === 'result') waiting.resolve(message.outputs)
    else waiting.reject(new Error(message.message))
  }

  private stop(error: Error): void {
    this.stopped ??= error
    for (const waiting of this.pending.values()) waiting.reject(this.stopped)
    this.pending.clear()
  }
}

function firstMessage(worker: Worker): Promise<FromThread> {
  return new Promise<FromThread>((resolvePromise, reject) => {
    const onMessage = (message: FromThread) => settle(() => resolvePromise(message))
    const onError = (error: Error) => settle(() => reject(error))
    const onExit = (code: number) => settle(() => reject(new Error(`the model's thread stopped (exit code ${code}) before the model loaded`)))
    function settle(outcome: () => void) {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit)
      outcome()
    }
    worker.on('message', onMessage).on('error', onError).on('exit', onExit)
  })
}

/** A session on the calling thread behind the same interface. */
export function inThisThread(session: ort.InferenceSession): ModelRunner {
  return {
    async run(feeds) {
      const tensors = Object.fromEntries(Object.entries(feeds).map(([name, feed]) => [name, new ort.Tensor(feed.type as ort.Tensor.Type, feed.data as ort.Tensor.DataType, feed.dims)]))
      const result = await session.run(tensors)
      return Object.fromEntries(Object.entries(result).map(([name, tensor]) => [name, { type: tensor.type, data: tensor.data as TensorData['data'], dims: tensor.dims }]))
    },
    release: () => session.release(),
  }
}
