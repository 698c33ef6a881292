import type { Logger } from 'pino'
import { formatPath } from '@/server/compiler/text'
import { findBadString, textProblem } from '@/server/validation/text'

/** What a deployment does with one request; the broker adapters never look inside. */
export type EventHandler = (body: unknown, meta: { messageId?: string }) => Promise<unknown>

export type EventLog = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>

export interface EventConsumer {
  /** Stops taking messages, waits for the ones in flight to be answered, then disconnects. */
  stop(): Promise<void>
}

/** The body published to the reply destination: always JSON, always carrying the request's id. */
export type ReplyBody = { messageId?: string; result: unknown } | { messageId?: string; error: string }

/**
 * What to do with one message: `reply` → publish, wait for the broker's confirmation, then
 * acknowledge; `retry` → the fault is ours (the model is down), so leave it unacknowledged and
 * have it delivered again later.
 */
export type Outcome = { kind: 'reply'; body: ReplyBody } | { kind: 'retry'; error: unknown }

export const maxBodyBytes = 1024 * 1024
/** How long a message whose handling failed on our side waits before it is delivered again. */
export const retryDelayMs = 1000

/**
 * Errors that are the sender's fault: answering them again would fail again, so they get an error
 * reply and are acknowledged (a poison message must not loop forever). Matched by name, as
 * server/http/errors.ts does, because bundles may hold two copies of a class.
 */
const callersFault = new Set(['BadRequestError', 'ZodError', 'ModelRefusedError'])

export function isCallersFault(error: unknown): error is Error {
  return error instanceof Error && callersFault.has(error.name)
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Runs one message through `handle` and decides its fate; never throws. */
export async function processMessage(payload: Uint8Array, messageId: string | undefined, handle: EventHandler): Promise<Outcome> {
  const parsed = parseBody(payload)
  if ('error' in parsed) return { kind: 'reply', body: { messageId, error: parsed.error } }
  let result: unknown
  try {
    result = await handle(parsed.body, messageId === undefined ? {} : { messageId })
  } catch (error) {
    if (isCallersFault(error)) return { kind: 'reply', body: { messageId, error: callersMessage(error) } }
    return { kind: 'retry', error }
  }
  return { kind: 'reply', body: { messageId, result } }
}

function parseBody(payload: Uint8Array): { body: unknown } | { error: string } {
  if (payload.byteLength > maxBodyBytes) {
    return { error: `The message body is ${payload.byteLength} bytes; the limit is ${maxBodyBytes} bytes.` }
  }
  let text: string
  try {
    text = utf8.decode(payload)
  } catch {
    return { error: 'The message body is not valid UTF-8 text; send a JSON document.' }
  }
  let body: unknown
  try {
    body = JSON.parse(text) as unknown
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return { error: `The message body is not valid JSON: ${detail}` }
  }
  // as HTTP bodies are: a NUL or lone surrogate (only a \u escape can carry one) would be refused by the log's database
  const bad = text.includes('\\u') ? findBadString(body) : undefined
  if (bad) return { error: `${formatPath(bad.path) || '(message)'}: ${bad.message}` }
  return { body }
}

interface ZodLikeIssue {
  path?: PropertyKey[]
  message?: string
}

function callersMessage(error: Error): string {
  if (error.name !== 'ZodError') return error.message
  const issue = (error as Error & { issues?: ZodLikeIssue[] }).issues?.[0]
  if (!issue) return error.message
  const path = (issue.path ?? []).map(String).join('.')
  return `${path || '(body)'}: ${issue.message ?? 'is invalid'}`
}

/** Replies no broker here refuses by size; NATS is told its own, smaller, limit. */
export const defaultMaxReplyBytes = 16 * 1024 * 1024

/**
 * The reply as bytes. An answer JSON cannot express (a BigInt, a cycle), or one too large for the
 * broker, becomes an error reply: otherwise its publish would fail on every delivery, for ever.
 */
export function encodeReply(body: ReplyBody, maxBytes = defaultMaxReplyBytes): Buffer {
  let encoded: Buffer
  try {
    // a handler that returns nothing still answers, with `result: null`, so the sender is not left waiting
    encoded = Buffer.from(JSON.stringify('result' in body && body.result === undefined ? { ...body, result: null } : body))
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return Buffer.from(JSON.stringify({ messageId: body.messageId, error: `The answer could not be written as JSON: ${detail}` }))
  }
  if (encoded.byteLength <= maxBytes) return encoded
  const error = `The answer is ${encoded.byteLength} bytes, more than the ${maxBytes} bytes the broker takes in one message.`
  return Buffer.from(JSON.stringify({ messageId: body.messageId, error }))
}

/** A correlation id taken from a message's headers: hostile like any input, so checked. */
export function safeMessageId(value: unknown): string | undefined {
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : value
  if (typeof text !== 'string' || text.length === 0 || text.length > 255) return undefined
  return textProblem(text) ? undefined : text
}

/** Promises still running, so `stop()` can wait for them. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>()

  get size(): number {
    return this.running.size
  }

  track(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.running.delete(tracked))
    this.running.add(tracked)
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running])
  }
}

/** Resolves after `ms`, or early (with false) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      resolve(false)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** One live connection to a broker, consuming. */
export interface Session {
  /** Resolves when the connection is gone, with the reason if there was one. */
  closed: Promise<Error | undefined>
  /** Stop taking messages, wait for those in flight, disconnect. */
  stop(): Promise<void>
}

export interface BackoffOptions {
  initialMs: number
  maxMs: number
}

const defaultBackoff: BackoffOptions = { initialMs: 250, maxMs: 30_000 }

/** Exponential, capped, with ±20% jitter so a restarted broker is not hit by every client at once. */
export function backoffDelay(attempt: number, options: BackoffOptions = defaultBackoff): number {
  const base = Math.min(options.maxMs / 1.2, options.initialMs * 2 ** attempt)
  return Math.round(base * (0.8 + Math.random() * 0.4))
}

export interface SuperviseOptions {
  broker: string
  log: EventLog
  /** aborting gives up the first connection attempt (startConsumer rejects) */
  signal?: AbortSignal
  backoff?: BackoffOptions
}

/**
 * Keeps one session alive: connects, waits for the connection to drop, reconnects with backoff.
 * Resolves once the first session is up (so the caller knows it is subscribed); failures after that
 * are logged, never thrown, so a broker restart does not take the process down.
 */
export async function supervise(connect: (signal: AbortSignal) => Promise<Session>, options: SuperviseOptions): Promise<EventConsumer> {
  const { broker, log } = options
  const stopping = new AbortController()
  let current: Session | undefined
  let resolveFirst!: () => void
  let rejectFirst!: (error: Error) => void
  const first = new Promise<void>((resolve, reject) => {
    resolveFirst = resolve
    rejectFirst = reject
  })
  const onCallerAbort = () => {
    rejectFirst(new Error(`Gave up connecting to ${broker}: the start was aborted.`))
    stopping.abort()
  }
  options.signal?.addEventListener('abort', onCallerAbort, { once: true })

  const loop = (async () => {
    let attempt = 0
    while (!stopping.signal.aborted) {
      try {
        const session = await connect(stopping.signal)
        if (stopping.signal.aborted) {
          await session.stop()
          break
        }
        current = session
        attempt = 0
        resolveFirst()
        log.info({ broker }, 'event consumer connected')
        const stopped = new Promise<'stopped'>((resolve) => stopping.signal.addEventListener('abort', () => resolve('stopped'), { once: true }))
        const reason = await Promise.race([session.closed, stopped])
        if (reason === 'stopped') break
        current = undefined
        log.warn({ broker, err: reason }, 'event consumer lost its broker connection; reconnecting')
      } catch (error) {
        log.warn({ broker, err: error, attempt }, 'event consumer could not connect; retrying')
      }
      await sleep(backoffDelay(attempt++, options.backoff), stopping.signal)
    }
  })()

  await first
  options.signal?.removeEventListener('abort', onCallerAbort)
  let stopped: Promise<void> | undefined
  return {
    stop() {
      stopped ??= (async () => {
        stopping.abort()
        await loop
        const session = current
        current = undefined
        await session?.stop()
        log.info({ broker }, 'event consumer stopped')
      })()
      return stopped
    },
  }
}
