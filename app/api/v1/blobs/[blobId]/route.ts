import { blobQuery, serveImageBlob } from '@/server/artifacts/blobs'
import { thumbnailsFor } from '@/server/artifacts/thumbnails'
import { requireArtifactId } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'

/** An image a dataset's rows point at, with its media type; `?thumb=1` for its thumbnail. */
export const GET = apiRoute<{ blobId: string }>('artifact:read', async ({ request, params, services }) => {
  const id = requireArtifactId(params.blobId)
  const { thumb } = blobQuery.parse(Object.fromEntries(new URL(request.url).searchParams))
  return serveImageBlob(services.db, services.store, thumbnailsFor(services.store, services.env.dataDir), id, thumb === '1')
})
