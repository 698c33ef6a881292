import { requireUuid } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'
import { clearSeverityOverride, overrideSeverity } from '@/server/use-cases/use-cases'

type Params = { useCaseId: string }

/** `{ severity: 1–10, reason }`: the severity that counts, over the ratings; the reason is kept. */
export const PUT = apiRoute<Params>(
  'use-case:edit',
  async ({ request, params, services, actor, audit }) => {
    const id = requireUuid(params.useCaseId, 'use case')
    const body = await readJson(request)
    const updated = await overrideSeverity(services.db, id, body, actor.id)
    const { severity, reason } = body as { severity?: unknown; reason?: unknown }
    audit.on(`use case ${id}`, { title: updated.title, severity, reason })
    return updated
  },
  { audit: 'use-case.override' },
)

/** Back to the ratings' median; the override stays in the history. */
export const DELETE = apiRoute<Params>(
  'use-case:edit',
  async ({ params, services, actor, audit }) => {
    const id = requireUuid(params.useCaseId, 'use case')
    const updated = await clearSeverityOverride(services.db, id, actor.id)
    audit.on(`use case ${id}`, { title: updated.title })
    return updated
  },
  { audit: 'use-case.override-clear' },
)
