import { requireUuid } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'
import { deleteUseCase, getUseCase, updateUseCase } from '@/server/use-cases/use-cases'

type Params = { useCaseId: string }

export const GET = apiRoute<Params>('use-case:read', async ({ params, services }) => getUseCase(services.db, requireUuid(params.useCaseId, 'use case')))

/** Any subset of the fields; a nullable field sent as null is cleared. Every change is kept in the history. */
export const PATCH = apiRoute<Params>('use-case:edit', async ({ request, params, services, actor }) =>
  updateUseCase(services.db, requireUuid(params.useCaseId, 'use case'), await readJson(request), actor.id),
)

export const DELETE = apiRoute<Params>('use-case:edit', async ({ params, services }) => {
  await deleteUseCase(services.db, requireUuid(params.useCaseId, 'use case'))
  return new Response(null, { status: 204 })
})
