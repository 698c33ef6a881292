import { apiRoute, bodyLimits, readJson } from '@/server/http/route'
import { createPipeline, listPipelines } from '@/server/pipelines/pipelines'

export const GET = apiRoute('pipeline:read', async ({ services }) => ({ pipelines: await listPipelines(services.db) }))

/** A pipeline file in, `{ id, version }` out; 400 names the path of the first error. */
export const POST = apiRoute('pipeline:edit', async ({ request, services, actor }) => {
  const created = await createPipeline(services.db, await readJson(request, { maxBytes: bodyLimits.pipelineFile }), actor.id)
  return Response.json(created, { status: 201 })
})
