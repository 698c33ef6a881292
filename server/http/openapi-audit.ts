import { auditOutcomes } from '@/db/schema'
import { auditActions, auditNouns } from '@/server/audit/actions'
import { auditCsvColumns } from '@/server/audit/csv'
import { errors, json, needs } from './openapi-helpers'

const entry = {
  type: 'object',
  required: ['id', 'at', 'actor', 'actorId', 'client', 'action', 'target', 'outcome', 'details'],
  properties: {
    id: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    actor: { type: 'string', description: "the user's e-mail as it was then, or `rating link`" },
    actorId: { type: ['string', 'null'], format: 'uuid', description: 'null for someone without an account' },
    client: { type: 'string', description: '`browser session`, `token "<name>"`, `rating link <invite id>`, `setup API`' },
    action: { type: 'string', enum: [...auditActions] },
    target: { type: 'string', description: 'what was acted on, e.g. `pipeline <id>`; empty for a refused attempt' },
    outcome: { type: 'string', enum: [...auditOutcomes], description: '`refused`: the caller was not allowed (403)' },
    details: { type: 'object', description: 'what changed (a version, a role, a reason); never a secret' },
  },
}

const filters = [
  { name: 'actor', in: 'query', schema: { type: 'string', maxLength: 200 }, description: "part of the actor's e-mail, any case" },
  { name: 'action', in: 'query', schema: { type: 'string', enum: [...auditActions, ...auditNouns] }, description: 'one action, or a noun for all of its actions' },
  { name: 'outcome', in: 'query', schema: { type: 'string', enum: [...auditOutcomes] } },
  { name: 'from', in: 'query', schema: { type: 'string' }, description: 'a date (UTC) or a date-time with offset; inclusive' },
  { name: 'to', in: 'query', schema: { type: 'string' }, description: 'a date (the whole day counts) or a date-time with offset; inclusive' },
]

/** The audit log: read-only by design, admins only. */
export function auditPaths() {
  return {
    '/api/v1/audit': {
      get: {
        ...needs('audit:read'),
        summary: 'The audit log, newest first (admins only); `next` is the cursor for the next, older page',
        parameters: [
          ...filters,
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'the `next` of the previous page' },
        ],
        responses: {
          200: {
            description: 'A page of entries',
            content: json({ type: 'object', required: ['entries', 'next'], properties: { entries: { type: 'array', items: entry }, next: { type: ['string', 'null'] } } }),
          },
          ...errors(400, 401, 403),
        },
      },
    },
    '/api/v1/audit/csv': {
      get: {
        ...needs('audit:read'),
        summary: `Every entry matching the filters as CSV (columns ${auditCsvColumns.join(', ')}); admins only`,
        parameters: filters,
        responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }, ...errors(400, 401, 403) },
      },
    },
  }
}
