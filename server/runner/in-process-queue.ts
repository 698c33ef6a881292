import type { StepHandler, StepJob, StepQueue } from './queue'

/** The embedded default: jobs run inside this process, `concurrency` at a time. */
export class InProcessQueue implements StepQueue {
  readonly kind = 'in-process'
  private waiting: StepJob[] = []
  private timers = new Set<NodeJS.Timeout>()
  private active = 0
  private handler: StepHandler | undefined
  private concurrency = 1
  private closed = false
  private idleWaiters: Array<() => void> = []

  async enqueue(job: StepJob, options: { delayMs?: number } = {}): Promise<void> {
    if (this.closed) return
    if (options.delayMs && options.delayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        this.push(job)
      }, options.delayMs)
      this.timers.add(timer)
      return
    }
    this.push(job)
  }

  async startWorker(handler: StepHandler, concurrency: number): Promise<void> {
    this.handler = handler
    this.concurrency = concurrency
    this.pump()
  }

  async close(): Promise<void> {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.waiting = []
    if (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }

  private push(job: StepJob): void {
    this.waiting.push(job)
    // a microtask later, so an enqueue inside a handler does not grow the stack
    queueMicrotask(() => this.pump())
  }

  private pump(): void {
    while (this.handler && !this.closed && this.active < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!
      this.active += 1
      this.handler(job)
        .catch((error: unknown) => console.error('step handler crashed', error))
        .finally(() => {
          this.active -= 1
          if (this.active === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve())
          this.pump()
        })
    }
  }
}
