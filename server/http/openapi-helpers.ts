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
  429: 'Too many failed attempts; the Retry-After header says how many seconds to wait',
}
export const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description })
