import { Readable } from 'node:stream'
import { z } from 'zod'
import type { Services } from '@/server/services'
import { recordArtifact } from './metadata'
import { UploadTooLargeError } from './store'

export const uploadFilename = z
  .string({ error: 'add ?filename=NAME to the URL' })
  .trim()
  .min(1, 'add ?filename=NAME to the URL')
  .max(255)
  .refine((name) => !/[\\/\u0000]/.test(name), 'must be a file name, not a path')

const mediaTypes: Record<string, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  jsonl: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
  onnx: 'application/onnx',
  // image archives for the ingest step's `images` source
  zip: 'application/zip',
  tar: 'application/x-tar',
  tgz: 'application/gzip',
  gz: 'application/gzip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
}

/** `a.csv` → text/csv; a compressed table (`a.csv.gz`) and a `.tar.gz` are application/gzip. */
export function mediaTypeOf(filename: string): string {
  const extension = filename.split('.').pop()?.toLowerCase() ?? ''
  return mediaTypes[extension] ?? 'application/octet-stream'
}

/** Stream a request body into the store; refuses early when Content-Length is over the limit. */
export async function storeUpload(
  services: Pick<Services, 'db' | 'store' | 'env'>,
  input: { filename: string; body: globalThis.ReadableStream<Uint8Array> | null; declaredLength: number | null; actorId: string },
): Promise<{ artifactId: string; sizeBytes: number }> {
  const limit = services.env.PIPEWRIGHT_MAX_UPLOAD_BYTES
  if (input.declaredLength !== null && input.declaredLength > limit) throw new UploadTooLargeError(limit)
  if (!input.body) throw new z.ZodError([{ code: 'custom', path: ['body'], message: 'the request has no body; send the file as the raw body', input: null }])
  const blob = await services.store.putStream(Readable.from(chunksOf(input.body)), limit)
  await recordArtifact(services.db, {
    id: blob.id,
    kind: 'file',
    sizeBytes: blob.sizeBytes,
    mediaType: mediaTypeOf(input.filename),
    filename: input.filename,
    createdBy: input.actorId,
  })
  return { artifactId: blob.id, sizeBytes: blob.sizeBytes }
}

/**
 * The body's chunks, released with `reader.cancel()` when the store stops early (over the limit).
 * `Readable.fromWeb` would be simpler, but destroying it mid-body makes Next.js close an already
 * closed stream, an uncaught exception in the server.
 */
async function* chunksOf(body: globalThis.ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}
