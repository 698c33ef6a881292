import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { getVersion, NotFoundError } from '@/server/pipelines/pipelines'

export const GET = apiRoute<{ pipelineId: string; version: string }>('pipeline:read', async ({ params, services }) => {
  const number = Number(params.version)
  if (!Number.isInteger(number) || number < 1) throw new NotFoundError(`No version ${JSON.stringify(params.version)}.`)
  const version = await getVersion(services.db, requireUuid(params.pipelineId, 'pipeline'), number)
  return { id: version.pipelineId, version: version.version, message: version.message, createdAt: version.createdAt, file: version.file }
})
