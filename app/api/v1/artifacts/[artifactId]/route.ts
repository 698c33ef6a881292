import { describeArtifact } from '@/server/artifacts/describe'
import { findArtifact } from '@/server/artifacts/metadata'
import { requireArtifactId } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { NotFoundError } from '@/server/errors'

/** Metadata; datasets include `rowCount` and `schema`. */
export const GET = apiRoute<{ artifactId: string }>('artifact:read', async ({ params, services }) => {
  const id = requireArtifactId(params.artifactId)
  const row = await findArtifact(services.db, id)
  if (!row) throw new NotFoundError(`No artifact with id ${id}.`)
  return describeArtifact(row)
})
