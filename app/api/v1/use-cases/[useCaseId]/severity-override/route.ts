import { requireUuid } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'
import { clearSeverityOverride, overrideSeverity } from '@/server/use-cases/use-cases'

type Params = { useCaseId: string }

/** `{ severity: 1–10, reason }`: the severity that counts, over the ratings; the reason is kept. */
export const PUT = apiRoute<Params>('use-case:edit', async ({ request, params, services, actor }) =>
  overrideSeverity(services.db, requireUuid(params.useCaseId, 'use case'), await readJson(request), actor.id),
)

/** Back to the ratings' median; the override stays in the history. */
export const DELETE = apiRoute<Params>('use-case:edit', async ({ params, services, actor }) =>
  clearSeverityOverride(services.db, requireUuid(params.useCaseId, 'use case'), actor.id),
)
