// Server-only: the prediction log, written off the request's path. Answers are queued in memory
// and inserted in batches; serving never waits on the database. When the database falls behind
// and the queue is full, the oldest waiting entries are dropped and counted (serving comes first).
import { randomUUID } from 'node:crypto'
import type { Db } from '@/db'
import { predictions } from '@/db/schema'
import { logger } from '@/server/logger'

export type PredictionEntry = typeof predictions.$inferInsert

const flushEveryMs = 250
const batchRows = 500
const maxWaiting = 20_000
/** one logged input or output is capped: a 10 MB tensor is not what a prediction log is for */
const maxLoggedChars = 64 * 1024

export function newPredictionId(): string {
  return randomUUID()
}

/** A value as it is logged: itself when small, else a note of its size. */
export function loggable(value: unknown): unknown {
  // without a replacer first: a replacer is called for every element, which made logging a 27,648-number
  // image tensor cost more than answering it; only a value holding a bigint (which throws) needs one
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch {
    text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))
  }
  if (text === undefined) return null
  return text.length <= maxLoggedChars ? JSON.parse(text) : { omitted: `${text.length} characters` }
}

export class PredictionLog {
  private waiting: PredictionEntry[] = []
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> | null = null
  dropped = 0
  written = 0

  constructor(private readonly db: Db) {}

  add(entry: PredictionEntry): void {
    this.waiting.push(entry)
    if (this.waiting.length > maxWaiting) this.dropped += this.waiting.splice(0, this.waiting.length - maxWaiting).length
    if (this.waiting.length >= batchRows) void this.flush()
    else this.timer ??= setTimeout(() => void this.flush(), flushEveryMs)
  }

  /** Writes what waits; resolves once it is in the database (tests and shutdown wait on it). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    while (this.flushing) await this.flushing
    if (this.waiting.length === 0) return
    const batch = this.waiting.splice(0, batchRows)
    this.flushing = this.db
      .insert(predictions)
      .values(batch)
      .then(
        () => void (this.written += batch.length),
        (error: unknown) => {
          // a deployment deleted meanwhile, or the database away: these entries are lost, serving goes on
          this.dropped += batch.length
          logger.warn({ err: error, entries: batch.length }, 'prediction log: a batch could not be written')
        },
      )
      .finally(() => (this.flushing = null))
    await this.flushing
    if (this.waiting.length > 0) await this.flush()
  }
}
