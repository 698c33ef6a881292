import { requireUuid } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'
import { rateUseCase } from '@/server/use-cases/use-cases'

/** `{ severity: 1–10, comment? }`: the caller's rating (again replaces it); answers the ratings' median and spread. */
export const POST = apiRoute<{ useCaseId: string }>('use-case:rate', async ({ request, params, services, actor }) =>
  Response.json(await rateUseCase(services.db, requireUuid(params.useCaseId, 'use case'), await readJson(request), actor), { status: 201 }),
)
