import fs from 'node:fs'
import { Readable } from 'node:stream'
import { getModelVersion } from '@/server/models/registry'
import { requireModelName, requireVersionNumber } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { NotFoundError } from '@/server/errors'

/** The version's ONNX bytes, streamed, named `<name>-v<version>.onnx`. */
export const GET = apiRoute<{ name: string; version: string }>('model:read', async ({ params, services }) => {
  const found = await getModelVersion(services.db, requireModelName(params.name), requireVersionNumber(params.version))
  if (!(await services.store.has(found.artifactId))) throw new NotFoundError(`The bytes of model "${found.name}" version ${found.version} are gone from the artifact store.`)
  const stream = Readable.toWeb(fs.createReadStream(await services.store.localPath(found.artifactId))) as ReadableStream
  return new Response(stream, {
    headers: {
      'content-type': 'application/onnx',
      'content-length': String(found.sizeBytes),
      'content-disposition': `attachment; filename="${found.name}-v${found.version}.onnx"`,
      etag: `"${found.artifactId}"`,
      'cache-control': 'private, max-age=31536000, immutable',
    },
  })
})
