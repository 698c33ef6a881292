import { publicRoute, readJson } from '@/server/http/route'
import { openInvite, submitInviteRatings } from '@/server/use-cases/invites'

type Params = { token: string }

/** No account needed: the link's token is the permission. 404 unknown, 410 used or expired. */
export const GET = publicRoute<Params>(async ({ params, services }) => openInvite(services.db, params.token))

/** `{ ratings: [{ useCaseId, severity: 1–10, comment? }] }`; uses the link up. */
export const POST = publicRoute<Params>(
  async ({ request, params, services, audit }) => {
    const { rated, inviteId, raterName, useCaseIds } = await submitInviteRatings(services.db, params.token, await readJson(request))
    audit.who = { id: null, label: 'rating link', client: `rating link ${inviteId}` }
    audit.on(`rating link ${inviteId}`, { raterName, rated, useCaseIds })
    return Response.json({ rated }, { status: 201 })
  },
  { audit: 'invite.use' },
)
