import { requireUuid } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'
import { findRow } from '@/server/use-cases/rows'
import { deleteUseCase, getUseCase, updateUseCase } from '@/server/use-cases/use-cases'

type Params = { useCaseId: string }

export const GET = apiRoute<Params>('use-case:read', async ({ params, services }) => getUseCase(services.db, requireUuid(params.useCaseId, 'use case')))

/** Any subset of the fields; a nullable field sent as null is cleared. Every change is kept in the history. */
export const PATCH = apiRoute<Params>(
  'use-case:edit',
  async ({ request, params, services, actor, audit }) => {
    const id = requireUuid(params.useCaseId, 'use case')
    const patch = await readJson(request)
    const updated = await updateUseCase(services.db, id, patch, actor.id)
    // the field-by-field history is on the use case's page; the log says which fields were sent
    audit.on(`use case ${id}`, { title: updated.title, fields: Object.keys(patch as object) })
    return updated
  },
  { audit: 'use-case.update' },
)

export const DELETE = apiRoute<Params>(
  'use-case:edit',
  async ({ params, services, audit }) => {
    const id = requireUuid(params.useCaseId, 'use case')
    // read first: once deleted, the title is gone with the row
    const { title } = await findRow(services.db, id)
    await deleteUseCase(services.db, id)
    audit.on(`use case ${id}`, { title })
    return new Response(null, { status: 204 })
  },
  { audit: 'use-case.delete' },
)
