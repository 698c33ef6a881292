import type { Requirement } from '@/server/auth/permissions'

/** Small builders shared by the OpenAPI document's parts. */
export const json = (schema: object) => ({ 'application/json': { schema } })
const error = { $ref: '#/components/schemas/Error' }
export const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [code, { description: errorText[code], content: json(error) }]))
const errorText: Record<number, string> = {
  400: 'Invalid input; `error` names the path of the first problem',
  401: 'No or unknown token',
  403: 'Your role may not do this',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone: the link was used or has expired',
  413: 'Upload larger than PIPEWRIGHT_MAX_UPLOAD_BYTES',
  415: 'Unsupported media type: the body, or the stored bytes, are not of a type this route reads',
  429: 'Too many failed attempts; the Retry-After header says how many seconds to wait',
}
export const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description })

/**
 * `x-pipewright-action`: what an operation needs, as data. The route checks it with `authorize` against the
 * role table (server/auth/permissions.ts); test/api/access.test.ts calls every operation with every role and
 * compares the answers with it.
 */
export type DocumentedAction = Requirement | 'public'
export const needs = (action: Requirement): { 'x-pipewright-action': DocumentedAction } => ({ 'x-pipewright-action': action })
/** anyone, signed in or not: no security requirement */
export const anyone: { security: never[]; 'x-pipewright-action': DocumentedAction } = { security: [], 'x-pipewright-action': 'public' }
