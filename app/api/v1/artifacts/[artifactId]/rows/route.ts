import { datasetRows, pageQuery } from '@/server/artifacts/rows'
import { requireArtifactId } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'

/** One page of a dataset's rows: `?offset=0&limit=100` → `{ rows, total, offset }`. */
export const GET = apiRoute<{ artifactId: string }>('artifact:read', async ({ request, params, services }) => {
  const id = requireArtifactId(params.artifactId)
  const page = pageQuery.parse(Object.fromEntries(new URL(request.url).searchParams))
  return datasetRows(services.db, services.store, id, page)
})
