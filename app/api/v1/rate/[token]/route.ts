import { requireLinkToken } from '@/server/http/ids'
import { bodyLimits, publicRoute, readJson } from '@/server/http/route'
import { openInvite, submitInviteRatings } from '@/server/use-cases/invites'

type Params = { token: string }

/** No account needed: the link's token is the permission. 404 unknown, 410 used or expired. */
export const GET = publicRoute<Params>(async ({ params, services }) => openInvite(services.db, requireLinkToken(params.token, 'pw_rate_')))

/** `{ ratings: [{ useCaseId, severity: 1–10, comment? }] }`; uses the link up. */
export const POST = publicRoute<Params>(async ({ request, params, services }) =>
  Response.json(await submitInviteRatings(services.db, requireLinkToken(params.token, 'pw_rate_'), await readJson(request, { maxBytes: bodyLimits.public })), { status: 201 }),
)
