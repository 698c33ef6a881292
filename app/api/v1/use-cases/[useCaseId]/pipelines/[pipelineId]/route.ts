import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { unlinkPipeline } from '@/server/use-cases/links'

export const DELETE = apiRoute<{ useCaseId: string; pipelineId: string }>('use-case:edit', async ({ params, services, actor }) => {
  await unlinkPipeline(services.db, requireUuid(params.useCaseId, 'use case'), requireUuid(params.pipelineId, 'pipeline'), actor.id)
  return new Response(null, { status: 204 })
})
