import { apiRoute, readJson } from '@/server/http/route'
import { createPipeline, listPipelines } from '@/server/pipelines/pipelines'

export const GET = apiRoute('pipeline:read', async ({ services }) => ({ pipelines: await listPipelines(services.db) }))

/** A pipeline file in, `{ id, version }` out; 400 names the path of the first error. */
export const POST = apiRoute(
  'pipeline:edit',
  async ({ request, services, actor, audit }) => {
    const created = await createPipeline(services.db, await readJson(request), actor.id)
    audit.on(`pipeline ${created.id}`, { version: created.version })
    return Response.json(created, { status: 201 })
  },
  { audit: 'pipeline.create' },
)
