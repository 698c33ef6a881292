import { getModelVersion } from '@/server/models/registry'
import { requireModelName, requireVersionNumber } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'

/** One version: its signature (`inputs`, `outputs`), `labels`, `aliases`, `lineage` and the rest of its metadata. */
export const GET = apiRoute<{ name: string; version: string }>('model:read', async ({ params, services }) => {
  const found = await getModelVersion(services.db, requireModelName(params.name), requireVersionNumber(params.version))
  const { metadata, ...record } = found
  return { ...record, ...metadata, labels: metadata.labels ?? null, metadata }
})
