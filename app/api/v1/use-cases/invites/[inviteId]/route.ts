import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { revokeInvite } from '@/server/use-cases/invites'

/** Revokes a link; ratings already given through it stay. */
export const DELETE = apiRoute<{ inviteId: string }>(
  'use-case:edit',
  async ({ params, services, audit }) => {
    const id = requireUuid(params.inviteId, 'rating link')
    await revokeInvite(services.db, id)
    audit.on(`rating link ${id}`)
    return new Response(null, { status: 204 })
  },
  { audit: 'invite.revoke' },
)
