import { z } from 'zod'
import { auditOutcomes } from '@/db/schema'
import { auditActions, auditNouns } from './actions'

/**
 * The filters of `GET /api/v1/audit` and the admin page, from query-string values. Every bad
 * value is a ZodError whose path names the parameter, so the client gets a 400 saying which.
 */

/** A form submits empty fields as `?actor=`; empty means "no filter", not "match nothing". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional())

/** half of a UTF-16 pair without its other half: not text, and PostgreSQL refuses it */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const searchText = z
  .string()
  .trim()
  .max(200, 'must be at most 200 characters')
  .refine((text) => !text.includes('\u0000'), 'must not contain a NUL character')
  .refine((text) => !loneSurrogate.test(text), 'must not contain a lone surrogate')

const dateOnly = /^\d{4}-\d{2}-\d{2}$/
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$/

/** A day (`2026-12-01`, read in UTC) or a moment with its offset (`2026-12-01T09:30:00Z`). */
const moment = z.string().transform((text, ctx) => {
  const at = dateOnly.test(text) || dateTime.test(text) ? new Date(dateOnly.test(text) ? `${text}T00:00:00Z` : text) : null
  if (!at || Number.isNaN(at.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be a date (2026-12-01) or a date and time with its offset (2026-12-01T09:30:00Z)' })
    return z.NEVER
  }
  return { at, wholeDay: dateOnly.test(text) }
})

/** Where the previous page ended: the last entry's time (to the microsecond, as PostgreSQL has it) and id. */
export interface AuditCursor {
  at: string
  id: number
}

const cursorShape = z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/), z.number().int().positive()])

export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url')
}

export const auditCursor = z.string().transform((text, ctx): AuditCursor => {
  try {
    const [at, id] = cursorShape.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')))
    return { at, id }
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave out; pass back the `next` of the previous page' })
    return z.NEVER
  }
})

export const auditQuery = z
  .object({
    /** part of the actor's e-mail (or `rating link`), any case */
    actor: optional(searchText),
    /** an action (`pipeline.create`) or a noun for all its actions (`pipeline`) */
    action: optional(z.enum([...auditActions, ...auditNouns], { error: 'must be a known action such as pipeline.create, or a noun such as pipeline' })),
    outcome: optional(z.enum(auditOutcomes, { error: `must be one of ${auditOutcomes.join(', ')}` })),
    from: optional(moment),
    /** a whole day counts to its end */
    to: optional(moment),
    cursor: optional(auditCursor),
    limit: optional(z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000')),
  })
  .refine((q) => !q.from || !q.to || q.from.at <= q.to.at, { path: ['from'], message: 'must not be after `to`' })

export type AuditQuery = z.infer<typeof auditQuery>

export const defaultPageSize = 100

/** The query string as the filters; throws a ZodError naming the bad parameter. */
export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const values: Record<string, string> = {}
  for (const key of ['actor', 'action', 'outcome', 'from', 'to', 'cursor', 'limit']) {
    const value = params.get(key)
    if (value !== null) values[key] = value
  }
  return auditQuery.parse(values)
}
