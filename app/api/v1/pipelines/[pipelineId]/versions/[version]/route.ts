import { requireUuid, requireVersionNumber } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { getVersion } from '@/server/pipelines/pipelines'

export const GET = apiRoute<{ pipelineId: string; version: string }>('pipeline:read', async ({ params, services }) => {
  const number = requireVersionNumber(params.version)
  const version = await getVersion(services.db, requireUuid(params.pipelineId, 'pipeline'), number)
  return { id: version.pipelineId, version: version.version, message: version.message, createdAt: version.createdAt, file: version.file }
})
