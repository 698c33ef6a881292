import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { listVersions } from '@/server/pipelines/pipelines'

export const GET = apiRoute<{ pipelineId: string }>('pipeline:read', async ({ params, services }) => ({
  versions: await listVersions(services.db, requireUuid(params.pipelineId, 'pipeline')),
}))
