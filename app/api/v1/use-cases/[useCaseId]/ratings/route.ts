import { requireUuid } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'
import { rateUseCase } from '@/server/use-cases/use-cases'

/** `{ severity: 1–10, comment? }`: the caller's rating (again replaces it); answers the ratings' median and spread. */
export const POST = apiRoute<{ useCaseId: string }>(
  'use-case:rate',
  async ({ request, params, services, actor, audit }) => {
    const id = requireUuid(params.useCaseId, 'use case')
    const body = await readJson(request)
    const summary = await rateUseCase(services.db, id, body, actor)
    audit.on(`use case ${id}`, { severity: (body as { severity?: unknown }).severity })
    return Response.json(summary, { status: 201 })
  },
  { audit: 'use-case.rate' },
)
