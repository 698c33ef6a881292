import { z } from 'zod'
import { storeUpload, uploadFilename } from '@/server/artifacts/upload'
import { apiRoute } from '@/server/http/route'

/** `POST /api/v1/uploads?filename=NAME`, the file as the raw body → `{ artifactId }` (its sha256). */
export const POST = apiRoute('artifact:upload', async ({ request, services, actor, audit }) => {
  const { filename } = z.object({ filename: uploadFilename }).parse({
    filename: new URL(request.url).searchParams.get('filename') ?? undefined,
  })
  const length = request.headers.get('content-length')
  const stored = await storeUpload(services, {
    filename,
    body: request.body,
    declaredLength: length ? Number(length) : null,
    actorId: actor.id,
  })
  audit.on(`artifact ${stored.artifactId}`, { filename })
  return Response.json(stored, { status: 201 })
}, { audit: 'artifact.upload' })
