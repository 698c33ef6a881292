import { apiRoute, readJson } from '@/server/http/route'
import { createUseCase, listUseCases } from '@/server/use-cases/use-cases'

export const GET = apiRoute('use-case:read', async ({ services }) => ({ useCases: await listUseCases(services.db) }))

/** The use case's fields in (only `title` is required), `{ id }` out; 400 names the field that is wrong. */
export const POST = apiRoute(
  'use-case:edit',
  async ({ request, services, actor, audit }) => {
    const body = await readJson(request)
    const created = await createUseCase(services.db, body, actor.id)
    audit.on(`use case ${created.id}`, { title: (body as { title?: unknown }).title })
    return Response.json(created, { status: 201 })
  },
  { audit: 'use-case.create' },
)
