// A model's sessions, each in a worker thread of its own, so inference never blocks the thread
// that answers requests. A run goes to the least busy thread; each thread holds one run at a time
// so requests wait in the served model's queue (where they can still join a batch) rather than in
// a thread's mailbox (where they cannot).
import { ModelLoadError, SessionThread, type Feeds, type Outputs, type ValueInfo } from '@/nodes/_lib/models/session-thread/session-thread'

export type ModelSource = { path: string } | { bytes: Uint8Array }

const runsPerThread = 1

/** The run failed because its thread ended, not because of its inputs. */
export class ThreadStoppedError extends Error {
  override name = 'ThreadStoppedError'
}

interface Slot {
  thread: SessionThread
  running: number
}

export class ThreadPool {
  private constructor(private readonly slots: Slot[]) {}

  /** Opens `count` sessions in parallel; if any fails to load, the others are ended and the error thrown. */
  static async open(source: ModelSource, count: number, intraOpThreads: number): Promise<ThreadPool> {
    // the reason of a refused run goes back to its caller; onnxruntime's own log would repeat it on stderr
    const sessionOptions = { intraOpNumThreads: intraOpThreads, interOpNumThreads: 1, logSeverityLevel: 4 as const }
    const opened = await Promise.allSettled(Array.from({ length: count }, () => SessionThread.open(source, sessionOptions)))
    const threads = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))
    const failed = opened.find((o) => o.status === 'rejected')
    if (failed) {
      await Promise.all(threads.map((t) => t.terminate()))
      const reason = failed.reason
      throw reason instanceof Error ? reason : new ModelLoadError(String(reason))
    }
    return new ThreadPool(threads.map((thread) => ({ thread, running: 0 })))
  }

  get inputs(): ValueInfo[] {
    return this.slots[0]!.thread.inputs
  }

  get outputs(): ValueInfo[] {
    return this.slots[0]!.thread.outputs
  }

  get size(): number {
    return this.slots.length
  }

  /** Runs in flight across all threads. */
  get running(): number {
    return this.slots.reduce((sum, s) => sum + s.running, 0)
  }

  /** Threads still running: a crashed thread (out of memory, a native fault) takes no more work. */
  get alive(): number {
    return this.slots.filter((s) => s.thread.isRunning).length
  }

  hasCapacity(): boolean {
    return this.slots.some((s) => s.thread.isRunning && s.running < runsPerThread)
  }

  /** Runs on the least busy live thread; call only when `hasCapacity()`. */
  run(feeds: Feeds): Promise<Outputs> {
    const live = this.slots.filter((s) => s.thread.isRunning)
    const slot = live.reduce((least, s) => (s.running < least.running ? s : least))
    slot.running++
    return slot.thread.run(feeds).then(
      (outputs) => {
        slot.running--
        return outputs
      },
      (error: unknown) => {
        slot.running--
        throw slot.thread.isRunning ? error : new ThreadStoppedError(error instanceof Error ? error.message : String(error))
      },
    )
  }

  /** One run on every thread, each on its own thread, before any traffic. */
  async warm(feeds: Feeds): Promise<void> {
    await Promise.all(this.slots.map((s) => s.thread.run(feeds)))
  }

  /** Lets runs in flight finish, then ends every thread. */
  async release(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.thread.release()))
  }

  async terminate(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.thread.terminate()))
  }
}
