// Server-only: the prediction log, written off the request's path. Answers are queued in memory
// and inserted in batches; serving never waits on the database. When the database falls behind
// and the queue is full, the oldest waiting entries are dropped and counted (serving comes first).
import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Db } from '@/db'
import { logger } from '@/server/logger'

/** JSON text, stringified once when the answer is given and never parsed back: the batch insert sends it as is. */
export type LoggedJson = string & { readonly loggedJson: unique symbol }

export interface PredictionEntry {
  id: string
  deploymentId: string
  modelVersion: number
  /** through which door: `v2`, `records`, `amqp`, `mqtt`, `nats` */
  protocol: string
  inputs: LoggedJson
  outputs: LoggedJson | null
  error?: string | null
  latencyMs: number
  fallback?: boolean
  fallbackReason?: string | null
  shadow?: boolean
  /** when the answer was given (not when the batch reached the database) */
  at?: Date
}

const flushEveryMs = 250
const batchRows = 500
const maxWaiting = 20_000
/** one logged input or output is capped: a 10 MB tensor is not what a prediction log is for */
const maxLoggedChars = 64 * 1024

export function newPredictionId(): string {
  return randomUUID()
}

/**
 * At least how many characters `value` takes as JSON, counted until `limit` is passed: a number is
 * its fewest digits and a separator at the least. Cheaper than stringifying a 27,648-number image to learn
 * it is too long to log.
 */
function charsAtLeast(value: unknown, limit: number): number {
  let chars = 0
  const pending: unknown[] = [value]
  while (pending.length > 0 && chars <= limit) {
    const next = pending.pop()
    if (typeof next === 'string') chars += next.length + 3
    else if (Array.isArray(next) || ArrayBuffer.isView(next)) {
      const items = next as ArrayLike<unknown>
      chars += 1 + items.length
      for (let i = 0; i < items.length; i++) {
        const item = items[i]
        if (typeof item === 'number') chars += numberCharsAtLeast(item)
        else if (typeof item === 'object' || typeof item === 'string') pending.push(item)
        else chars += 4
      }
    } else if (next !== null && typeof next === 'object') {
      for (const [key, child] of Object.entries(next)) {
        chars += key.length + 4
        pending.push(child)
      }
    } else chars += typeof next === 'number' ? numberCharsAtLeast(next) : 4
  }
  return chars
}

/** The fewest characters a number's JSON can take: 7 is one, 42 two, -1 two, 0.5 three. */
function numberCharsAtLeast(n: number): number {
  if (!Number.isInteger(n)) return 3
  if (n < 0) return 2
  return n < 10 ? 1 : n < 100 ? 2 : 3
}

const omitted = (chars: string) => JSON.stringify({ omitted: `${chars} characters` }) as LoggedJson

/** A value as it is logged: its JSON when small, else a note of its size. */
export function loggable(value: unknown): LoggedJson {
  if (charsAtLeast(value, maxLoggedChars) > maxLoggedChars) return omitted(`more than ${maxLoggedChars}`)
  // without a replacer first: a replacer is called for every element; only a bigint (which throws) needs one
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch {
    text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))
  }
  if (text === undefined) return 'null' as LoggedJson
  return text.length <= maxLoggedChars ? (text as LoggedJson) : omitted(String(text.length))
}

/** One entry as a JSON object for `jsonb_to_recordset`; the logged values go in as the JSON they already are. */
function entryJson(entry: PredictionEntry): string {
  const plain = {
    id: entry.id,
    deployment_id: entry.deploymentId,
    model_version: entry.modelVersion,
    protocol: entry.protocol,
    error: entry.error ?? null,
    latency_ms: entry.latencyMs,
    fallback: entry.fallback ?? false,
    fallback_reason: entry.fallbackReason ?? null,
    shadow: entry.shadow ?? false,
    created_at: (entry.at ?? new Date()).toISOString(),
  }
  return `${JSON.stringify(plain).slice(0, -1)},"inputs":${entry.inputs},"outputs":${entry.outputs ?? 'null'}}`
}

/**
 * One statement with one parameter for a whole batch: drizzle's builder spent more on 500 rows'
 * 6,000 parameters than serving spent answering them.
 */
function insertBatch(db: Db, batch: readonly PredictionEntry[]) {
  const rows = `[${batch.map(entryJson).join(',')}]`
  return db.execute(sql`
    insert into predictions (id, deployment_id, model_version, protocol, inputs, outputs, error, latency_ms, fallback, fallback_reason, shadow, created_at)
    select id, deployment_id, model_version, protocol, coalesce(inputs, 'null'::jsonb), outputs, error, latency_ms, fallback, fallback_reason, shadow, created_at
    from jsonb_to_recordset(${rows}::jsonb) as r(id uuid, deployment_id uuid, model_version integer, protocol text, inputs jsonb, outputs jsonb,
      error text, latency_ms real, fallback boolean, fallback_reason text, shadow boolean, created_at timestamptz)`)
}

export class PredictionLog {
  private waiting: PredictionEntry[] = []
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> | null = null
  dropped = 0
  written = 0

  constructor(private readonly db: Db) {}

  add(entry: PredictionEntry): void {
    this.waiting.push(entry.at ? entry : { ...entry, at: new Date() })
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
    this.flushing = insertBatch(this.db, batch)
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
