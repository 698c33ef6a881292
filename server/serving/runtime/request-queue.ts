// The requests waiting for a thread, oldest first, and how the next run is picked from them.
import type { Feeds, Outputs } from '@/nodes/_lib/models/session-thread/session-thread'

export interface InferResult {
  outputs: Outputs
  /** from the request's arrival to its answer */
  latencyMs: number
  /** rows in the session call that answered it (its own and its batch neighbours') */
  batchRows: number
}

export interface PendingRequest {
  feeds: Feeds
  rows: number
  batchKey: string
  arrivedAt: number
  /** set after a failed batch: runs on its own so its failure is its own */
  alone: boolean
  /** answered, failed, timed out or aborted: a late answer is dropped */
  settled: boolean
  resolve(result: InferResult): void
  reject(error: Error): void
}

export interface NextRun {
  requests: PendingRequest[]
  rows: number
  /** no more waiting would make it bigger: it has maxBatch rows or the next request does not fit */
  full: boolean
}

export class RequestQueue {
  private items: PendingRequest[] = []

  get length(): number {
    return this.items.length
  }

  get rows(): number {
    return this.items.reduce((sum, r) => sum + r.rows, 0)
  }

  oldest(): PendingRequest | undefined {
    return this.items[0]
  }

  peekAll(): PendingRequest[] {
    return [...this.items]
  }

  push(request: PendingRequest): void {
    this.items.push(request)
  }

  /** Back to the front, in their order: they were waiting longest. */
  putBack(requests: readonly PendingRequest[]): void {
    this.items.unshift(...requests)
  }

  remove(request: PendingRequest): void {
    const at = this.items.indexOf(request)
    if (at >= 0) this.items.splice(at, 1)
  }

  /**
   * The oldest request and, when batching, the requests after it that can share its run (same
   * batch key) while the rows stay within maxBatch, skipping those too large to fit. A request
   * larger than maxBatch runs alone.
   */
  peekRun(batching: boolean, maxBatch: number): NextRun | null {
    const first = this.items[0]
    if (!first) return null
    if (!batching || first.alone) return { requests: [first], rows: first.rows, full: true }
    const requests = [first]
    let rows = first.rows
    let full = rows >= maxBatch
    for (let i = 1; i < this.items.length && rows < maxBatch; i++) {
      const candidate = this.items[i]!
      if (candidate.alone || candidate.batchKey !== first.batchKey) continue
      if (rows + candidate.rows > maxBatch) {
        // a smaller one further back may still fit; this one leads the next run
        full = true
        continue
      }
      requests.push(candidate)
      rows += candidate.rows
      full = rows >= maxBatch
    }
    return { requests, rows, full }
  }

  take(requests: readonly PendingRequest[]): void {
    const taken = new Set(requests)
    this.items = this.items.filter((r) => !taken.has(r))
  }
}
