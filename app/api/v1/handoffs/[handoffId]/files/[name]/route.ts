import { bundleFile } from '@/server/handoffs/bundle'
import { authorizeHandoff } from '@/server/handoffs/tickets'
import { publicRoute } from '@/server/http/route'

/** `GET /api/v1/handoffs/{id}/files/{name}` (`train.parquet`, `validation.parquet`) with the handoff token. */
export const GET = publicRoute<{ handoffId: string; name: string }>(async ({ request, params, services }) => {
  const handoff = await authorizeHandoff(services.db, params.handoffId, request.headers.get('authorization'))
  return bundleFile(services, handoff, params.name)
})
