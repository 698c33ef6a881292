import { clientAddress } from '@/server/http/client-address'
import { requireLinkToken } from '@/server/http/ids'
import { bodyLimits, publicRoute, readJson } from '@/server/http/route'
import { openInvite, submitInviteRatings } from '@/server/use-cases/invites'
import { withRateLinkLimit } from '@/server/use-cases/rate-link-limit'

type Params = { token: string }

/** No account needed: the link's token is the permission. 404 unknown, 410 used or expired, 429 after many unknown ones. */
export const GET = publicRoute<Params>(async ({ request, params, services }) =>
  withRateLinkLimit(services.db, clientAddress(request.headers), async () => openInvite(services.db, requireLinkToken(params.token, 'pw_rate_'))),
)

/** `{ ratings: [{ useCaseId, severity: 1–10, comment? }] }`; uses the link up. */
export const POST = publicRoute<Params>(
  async ({ request, params, services, audit }) => {
    const body = await readJson(request, { maxBytes: bodyLimits.public })
    const { rated, inviteId, raterName, useCaseIds } = await withRateLinkLimit(services.db, clientAddress(request.headers), async () =>
      submitInviteRatings(services.db, requireLinkToken(params.token, 'pw_rate_'), body),
    )
    audit.who = { id: null, label: 'rating link', client: `rating link ${inviteId}` }
    audit.on(`rating link ${inviteId}`, { raterName, rated, useCaseIds })
    return Response.json({ rated }, { status: 201 })
  },
  { audit: 'invite.use' },
)
