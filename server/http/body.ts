import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors'
import { findBadString, jsonDepthExceeds } from '@/server/validation/text'
import { formatPath } from '@/server/compiler/text'

/** Body limits, in bytes. Public routes get small ones: nobody signs in with a megabyte. */
export const bodyLimits = {
  /** sign-in, setup, rating links: a few fields */
  public: 8 * 1024,
  /** ordinary JSON: a use case, a user, settings */
  json: 1024 * 1024,
  /** a pipeline file, its `ui` key included (2,000 nodes with notes fit well inside) */
  pipelineFile: 5 * 1024 * 1024,
  /** a CSV of use cases */
  csv: 5 * 1024 * 1024,
} as const

/** Deeper than this, a JSON body is an attack on the parser or on whoever walks it next. */
const maxJsonDepth = 64

/**
 * The body as bytes, read while streaming: refused with 413 as soon as it passes `maxBytes`,
 * whether or not Content-Length said so (chunked bodies say nothing).
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get('content-length') ?? '')
  if (Number.isFinite(declared) && declared > maxBytes) throw new PayloadTooLargeError(maxBytes)
  if (!request.body) return new Uint8Array()
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      throw new PayloadTooLargeError(maxBytes)
    }
    chunks.push(value)
  }
  return concat(chunks, size)
}

function concat(chunks: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/** The body as text (UTF-8; bytes that are not UTF-8 are a 400, not a silent replacement). */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const bytes = await readBodyBytes(request, maxBytes)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new BadRequestError('The request body is not valid UTF-8 text.')
  }
}

export interface ReadJsonOptions {
  /** what an empty body means; without it an empty body is a 400 */
  whenEmpty?: unknown
  maxBytes?: number
}

/**
 * A JSON body, checked at the door: Content-Type JSON (415 otherwise), at most `maxBytes` (413),
 * parseable (400), not absurdly deep, and no string or key a database would refuse (400 naming
 * where). Schemas then check the shape.
 */
export async function readJson(request: Request, options: ReadJsonOptions = {}): Promise<unknown> {
  const { whenEmpty, maxBytes = bodyLimits.json } = options
  const body = await readBodyText(request, maxBytes)
  if (!body.trim()) {
    if (whenEmpty !== undefined) return whenEmpty
    throw new BadRequestError('The request body is empty; send JSON.')
  }
  requireJsonContentType(request)
  return parseJsonText(body, 'The request body')
}

/**
 * JSON text checked as bodies are: parseable, not absurdly deep, and no string or key a database
 * would refuse (each a 400 naming where). `what` opens the messages ("The request body").
 */
export function parseJsonText(text: string, what: string): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new BadRequestError(`${what} is not valid JSON: ${(error as Error).message}`)
  }
  if (jsonDepthExceeds(value, maxJsonDepth)) throw new BadRequestError(`${what} nests deeper than ${maxJsonDepth} levels.`)
  // a parsed string can hold a NUL or a lone surrogate only by a \u escape: the fatal UTF-8 decoder
  // refused raw ones, so text without one needs no walk (a 30,000-number tensor is not walked)
  const bad = text.includes('\\u') ? findBadString(value) : undefined
  if (bad) {
    const where = formatPath(bad.path) || '(body)'
    throw new BadRequestError(`${where}: ${bad.message}`, [{ path: bad.path.join('.'), message: bad.message }])
  }
  return value
}

export function requireJsonContentType(request: Request): void {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'application/json' || type.endsWith('+json')) return
  throw new UnsupportedMediaTypeError(
    type ? `The body is ${type}; send Content-Type: application/json.` : 'The body has no Content-Type; send Content-Type: application/json.',
  )
}
