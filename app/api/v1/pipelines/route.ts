import { apiRoute, bodyLimits, readJson } from '@/server/http/route'
import { createPipeline, listPipelines } from '@/server/pipelines/pipelines'

export const GET = apiRoute('pipeline:read', async ({ services }) => ({ pipelines: await listPipelines(services.db) }))

/** A pipeline file in, `{ id, version }` out; 400 names the path of the first error. */
export const POST = apiRoute(
  'pipeline:edit',
  async ({ request, services, actor, audit }) => {
    const file = await readJson(request, { maxBytes: bodyLimits.pipelineFile })
    const created = await createPipeline(services.db, file, actor.id)
    audit.on(`pipeline ${created.id}`, { name: (file as { name?: unknown }).name, version: created.version })
    return Response.json(created, { status: 201 })
  },
  { audit: 'pipeline.create' },
)
