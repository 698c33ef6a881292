import { manifestView } from '@/server/handoffs/bundle'
import { authorizeHandoff } from '@/server/handoffs/tickets'
import { publicBaseUrl } from '@/server/http/public-url'
import { publicRoute } from '@/server/http/route'

/** `GET /api/v1/handoffs/{id}` with `Authorization: Bearer <handoff token>`: the manifest and where its files are. 401 wrong token, 410 used or timed out. */
export const GET = publicRoute<{ handoffId: string }>(async ({ request, params, services }) => {
  const handoff = await authorizeHandoff(services.db, params.handoffId, request.headers.get('authorization'))
  return manifestView(handoff, `${publicBaseUrl(request).origin}/api/v1/handoffs/${handoff.id}`)
})
