import { ZodError } from 'zod'
import type { AuthError } from '@/server/auth/permissions'
import { logger } from '@/server/logger'
import type { PipelineInvalidError } from '@/server/pipelines/pipelines'
import { formatCsvError } from '@/server/use-cases/csv'
import type { CsvImportError } from '@/server/use-cases/csv-import'

export interface Issue {
  path: string
  message: string
  code?: string
}

export class BadRequestError extends Error {
  override name = 'BadRequestError'
  constructor(
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message)
  }
}

export class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError'
  constructor(readonly limitBytes: number) {
    super(`The request body is larger than this route's limit of ${formatBytes(limitBytes)}.`)
  }
}

export class UnsupportedMediaTypeError extends Error {
  override name = 'UnsupportedMediaTypeError'
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
}

/**
 * `{ error, issues? }` — the contract every error answer keeps. `path` and `errors` repeat the
 * first issue and the list for clients written before `issues` existed.
 */
export interface ErrorBody {
  error: string
  issues?: Issue[]
  path?: string
  errors?: Issue[]
  /** 429: how long to wait, as the Retry-After header says too */
  retryAfterSeconds?: number
}

export interface ErrorResponse {
  status: number
  body: ErrorBody
  headers?: Record<string, string>
}

function withIssues(status: number, error: string, issues: Issue[]): ErrorResponse {
  return { status, body: { error, issues, path: issues[0]?.path, errors: issues } }
}

/**
 * Matched by name, not `instanceof`: Next.js bundles a module once per route and once for the
 * services on `globalThis`, so an error thrown by one copy is not an instance of the other's class.
 */
function isNamed<T extends Error>(error: unknown, name: string): error is T {
  return error instanceof Error && error.name === name
}

const statusByName: Record<string, number> = {
  BadRequestError: 400,
  ModelRefusedError: 400,
  NotFoundError: 404,
  ConflictError: 409,
  SetupDoneError: 409,
  GoneError: 410,
  UploadTooLargeError: 413,
  PayloadTooLargeError: 413,
  UnsupportedMediaTypeError: 415,
  ServiceUnavailableError: 503,
  // serving (server/serving/runtime/errors.ts)
  InvalidFeedsError: 400,
  InferenceFailedError: 400,
  InferenceTimeoutError: 504,
  ServingClosedError: 503,
}

/** An error that tells the caller when to come back: throttled sign-ins, a full model queue, a token's rate limit. */
interface RetryLater extends Error {
  retryAfterSeconds: number
}
const retryLaterNames = new Set(['TooManyAttemptsError', 'ServingBusyError', 'RateLimitedError'])

/** One mapping from what went wrong to what the client is told; only the server's own faults are 5xx. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (isNamed<AuthError>(error, 'AuthError')) return { status: error.status, body: { error: error.message } }
  if (error instanceof ZodError || isNamed<ZodError>(error, 'ZodError')) return fromZod(error)
  if (isNamed<PipelineInvalidError>(error, 'PipelineInvalidError')) {
    const issues = error.errors.map((e) => ({ path: e.path.join('.'), message: e.message, code: e.code }))
    return withIssues(400, error.message, issues)
  }
  if (isNamed<CsvImportError>(error, 'CsvImportError')) {
    const issues = error.errors.map((e) => ({ path: `row ${e.row}, field ${e.field}`, message: e.message }))
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
    return withIssues(400, `${formatCsvError(error.errors[0]!)}${more}; nothing was imported`, issues)
  }
  if (isNamed<BadRequestError>(error, 'BadRequestError') && error.issues) return withIssues(400, error.message, error.issues)
  if (error instanceof Error && retryLaterNames.has(error.name)) {
    const { retryAfterSeconds } = error as RetryLater
    return { status: 429, body: { error: error.message, retryAfterSeconds }, headers: { 'retry-after': String(retryAfterSeconds) } }
  }
  const status = error instanceof Error ? statusByName[error.name] : undefined
  if (status) return { status, body: { error: (error as Error).message } }
  logger.error({ err: error }, 'unhandled API error')
  return { status: 500, body: { error: 'Internal error; the server log has the details.' } }
}

function fromZod(error: ZodError): ErrorResponse {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message, code: issue.code }))
  const first = issues[0]!
  return withIssues(400, `${first.path || '(body)'}: ${first.message}`, issues)
}
