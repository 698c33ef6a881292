import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { revokeInvite } from '@/server/use-cases/invites'

/** Revokes a link; ratings already given through it stay. */
export const DELETE = apiRoute<{ inviteId: string }>('use-case:edit', async ({ params, services }) => {
  await revokeInvite(services.db, requireUuid(params.inviteId, 'rating link'))
  return new Response(null, { status: 204 })
})
