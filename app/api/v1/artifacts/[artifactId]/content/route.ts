import fs from 'node:fs'
import { Readable } from 'node:stream'
import { findArtifact } from '@/server/artifacts/metadata'
import { requireArtifactId } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { NotFoundError } from '@/server/errors'

/** The bytes, streamed; datasets come as Parquet. */
export const GET = apiRoute<{ artifactId: string }>('artifact:read', async ({ params, services }) => {
  const id = requireArtifactId(params.artifactId)
  const row = await findArtifact(services.db, id)
  if (!row || !(await services.store.has(id))) throw new NotFoundError(`No artifact with id ${id}.`)
  const stream = Readable.toWeb(fs.createReadStream(await services.store.localPath(id))) as ReadableStream
  const filename = (row.filename ?? id).replace(/["\\\r\n]/g, '_')
  return new Response(stream, {
    headers: {
      'content-type': row.mediaType,
      'content-length': String(row.sizeBytes),
      'content-disposition': `attachment; filename="${filename}"`,
      etag: `"${id}"`,
      'cache-control': 'private, max-age=31536000, immutable',
    },
  })
})
