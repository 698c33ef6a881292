import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { unlinkPipeline } from '@/server/use-cases/links'

export const DELETE = apiRoute<{ useCaseId: string; pipelineId: string }>(
  'use-case:edit',
  async ({ params, services, actor, audit }) => {
    const [id, pipelineId] = [requireUuid(params.useCaseId, 'use case'), requireUuid(params.pipelineId, 'pipeline')]
    await unlinkPipeline(services.db, id, pipelineId, actor.id)
    audit.on(`use case ${id}`, { pipelineId })
    return new Response(null, { status: 204 })
  },
  { audit: 'use-case.unlink' },
)
