import { logger } from '@/server/logger'
import { infrastructureDeliveries, jobId, type JobFate, type StepHandler, type StepJob, type StepQueue } from './queue'

/** The embedded default: jobs run inside this process, `concurrency` at a time. */
export class InProcessQueue implements StepQueue {
  readonly kind = 'in-process'
  private waiting: Array<{ job: StepJob; delivery: number }> = []
  private timers = new Set<NodeJS.Timeout>()
  private active = 0
  private handler: StepHandler | undefined
  private concurrency = 1
  private closed = false
  private idleWaiters: Array<() => void> = []
  /** jobs waiting, delayed or running, by job id: as BullMQ, a job held is not added twice */
  private held = new Set<string>()
  /** why a job that ran out of deliveries failed, for the reconciler */
  private failed = new Map<string, string>()

  async enqueue(job: StepJob, options: { delayMs?: number } = {}): Promise<void> {
    if (this.held.has(jobId(job))) return
    this.held.add(jobId(job))
    this.failed.delete(jobId(job))
    this.deliverLater(job, 1, options.delayMs ?? 0)
  }

  async jobFate(job: StepJob): Promise<JobFate> {
    if (this.held.has(jobId(job))) return { live: true }
    return { live: false, failedReason: this.failed.get(jobId(job)) }
  }

  async redeliver(job: StepJob): Promise<void> {
    await this.enqueue(job)
  }

  private deliverLater(job: StepJob, delivery: number, delayMs: number): void {
    if (this.closed) return
    if (delayMs <= 0) return this.push(job, delivery)
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.push(job, delivery)
    }, delayMs)
    this.timers.add(timer)
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

  private push(job: StepJob, delivery: number): void {
    this.waiting.push({ job, delivery })
    // a microtask later, so an enqueue inside a handler does not grow the stack
    queueMicrotask(() => this.pump())
  }

  private pump(): void {
    while (this.handler && !this.closed && this.active < this.concurrency && this.waiting.length > 0) {
      const { job, delivery } = this.waiting.shift()!
      this.active += 1
      this.handler(job)
        .then(
          () => void this.held.delete(jobId(job)),
          (error: unknown) => this.handlerFailed(job, delivery, error),
        )
        .finally(() => {
          this.active -= 1
          if (this.active === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve())
          this.pump()
        })
    }
  }

  /** As BullMQ does: the handler itself failed (not the step), so deliver the job again, a few times. */
  private handlerFailed(job: StepJob, delivery: number, error: unknown): void {
    logger.error({ err: error, job, delivery }, `step handler failed (delivery ${delivery} of ${infrastructureDeliveries})`)
    if (delivery < infrastructureDeliveries) return this.deliverLater(job, delivery + 1, 1000 * 2 ** (delivery - 1))
    this.held.delete(jobId(job))
    this.failed.set(jobId(job), error instanceof Error ? error.message : String(error))
  }
}
