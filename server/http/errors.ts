import { ZodError } from 'zod'
import { SetupDoneError } from '@/server/auth/accounts'
import { AuthError } from '@/server/auth/permissions'
import { TooManyAttemptsError } from '@/server/auth/throttle'
import { UploadTooLargeError } from '@/server/artifacts/store'
import { logger } from '@/server/logger'
import { ConflictError, NotFoundError, PipelineInvalidError } from '@/server/pipelines/pipelines'
import { formatCsvError } from '@/server/use-cases/csv'
import { CsvImportError } from '@/server/use-cases/csv-import'
import { GoneError } from '@/server/use-cases/invites'

export class BadRequestError extends Error {
  override name = 'BadRequestError'
}

export interface ErrorBody {
  error: string
  /** JSON path of the first problem, when one is known */
  path?: string
  errors?: Array<{ path: string; message: string; code?: string }>
  /** 429: how long to wait, as the Retry-After header says too */
  retryAfterSeconds?: number
}

/** One exhaustive mapping from what went wrong to what the client is told. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (error instanceof TooManyAttemptsError) {
    const retryAfterSeconds = error.retryAfterSeconds
    return { status: 429, body: { error: error.message, retryAfterSeconds }, headers: { 'retry-after': String(retryAfterSeconds) } }
  }
  if (error instanceof AuthError) return { status: error.status, body: { error: error.message } }
  if (error instanceof ZodError) {
    const errors = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message, code: issue.code }))
    const first = errors[0]!
    return { status: 400, body: { error: `${first.path || '(body)'}: ${first.message}`, path: first.path, errors } }
  }
  if (error instanceof PipelineInvalidError) {
    const errors = error.errors.map((e) => ({ path: e.path.join('.'), message: e.message, code: e.code }))
    return { status: 400, body: { error: error.message, path: errors[0]?.path, errors } }
  }
  if (error instanceof CsvImportError) {
    const errors = error.errors.map((e) => ({ path: `row ${e.row}, field ${e.field}`, message: e.message }))
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''
    return { status: 400, body: { error: `${formatCsvError(error.errors[0]!)}${more}; nothing was imported`, path: errors[0]!.path, errors } }
  }
  if (error instanceof BadRequestError) return { status: 400, body: { error: error.message } }
  if (error instanceof NotFoundError) return { status: 404, body: { error: error.message } }
  if (error instanceof ConflictError || error instanceof SetupDoneError) return { status: 409, body: { error: error.message } }
  if (error instanceof GoneError) return { status: 410, body: { error: error.message } }
  if (error instanceof UploadTooLargeError) return { status: 413, body: { error: error.message } }
  logger.error({ err: error }, 'unhandled API error')
  return { status: 500, body: { error: 'Internal error; the server log has the details.' } }
}
