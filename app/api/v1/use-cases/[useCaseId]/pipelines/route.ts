import { requireUuid } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'
import { findRow } from '@/server/use-cases/rows'
import { linkedPipelines, linkPipeline } from '@/server/use-cases/links'

type Params = { useCaseId: string }

/** The pipelines that realise the use case, each with its newest run. */
export const GET = apiRoute<Params>('use-case:read', async ({ params, services }) => {
  const id = requireUuid(params.useCaseId, 'use case')
  await findRow(services.db, id)
  return { pipelines: await linkedPipelines(services.db, id) }
})

/** `{ pipelineId }`; linking one that is linked already changes nothing. */
export const POST = apiRoute<Params>(
  'use-case:edit',
  async ({ request, params, services, actor, audit }) => {
    const id = requireUuid(params.useCaseId, 'use case')
    const body = await readJson(request)
    const pipelines = await linkPipeline(services.db, id, body, actor.id)
    audit.on(`use case ${id}`, { pipelineId: (body as { pipelineId?: unknown }).pipelineId })
    return Response.json({ pipelines }, { status: 201 })
  },
  { audit: 'use-case.link' },
)
