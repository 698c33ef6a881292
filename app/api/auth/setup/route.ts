import { newUserInput, setupOwner } from '@/server/auth/accounts'
import { bodyLimits, publicRoute, readJson } from '@/server/http/route'
import { sessionCookieFor } from '@/server/http/session-cookie'

/** The first-run page: same logic as POST /api/v1/setup, and the browser is signed in. */
export const POST = publicRoute(
  async ({ request, services, audit }) => {
    const input = newUserInput.parse(await readJson(request, { maxBytes: bodyLimits.public }))
    const actor = await setupOwner(services.db, input)
    const cookie = await sessionCookieFor(services.db, actor.id, request)
    audit.who = { id: actor.id, label: actor.email, client: 'browser session' }
    audit.on(`user ${actor.email}`, { userId: actor.id, role: actor.role })
    return Response.json({ user: actor }, { status: 201, headers: { 'set-cookie': cookie } })
  },
  { audit: 'setup.owner' },
)
