import { BadRequestError, PayloadTooLargeError } from '@/server/http/errors'
import { requireDeploymentName } from '@/server/http/ids'
import { inferenceRoute } from '@/server/serving/inference-route'
import { predictRecords } from '@/server/serving/predict'

/**
 * `{ "records": [ { "<column>": value } ] }` (images as base64), or a multipart form with `image`
 * files → `{ modelVersion, predictions: [ { label, scores, fallback } | { value, fallback } ] }`.
 */
export const POST = inferenceRoute<{ name: string }>('api', async ({ request, params, open, json, serving, key, services }) => {
  const live = await open(requireDeploymentName(params.name))
  const multipart = request.headers.get('content-type')?.toLowerCase().startsWith('multipart/form-data')
  const input = multipart ? { form: await readForm(request, services.env.PIPEWRIGHT_MAX_INFER_BYTES) } : { json: await json() }
  return predictRecords(serving, live, input, { protocol: 'records', ...(key ? { key } : {}) })
})

async function readForm(request: Request, maxBytes: number): Promise<FormData> {
  const length = Number(request.headers.get('content-length') ?? 'NaN')
  if (length > maxBytes) throw new PayloadTooLargeError(maxBytes)
  const bytes = await request.arrayBuffer()
  if (bytes.byteLength > maxBytes) throw new PayloadTooLargeError(maxBytes)
  try {
    return await new Response(bytes, { headers: { 'content-type': request.headers.get('content-type')! } }).formData()
  } catch {
    throw new BadRequestError('The multipart body could not be read: send a multipart/form-data form with "image" files.')
  }
}
