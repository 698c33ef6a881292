import { actorFromSession, endSession } from '@/server/auth/accounts'
import { publicRoute } from '@/server/http/route'
import { clearedSessionCookie, sessionSecretOf } from '@/server/http/session-cookie'

export const POST = publicRoute(
  async ({ request, services, audit }) => {
    const secret = sessionSecretOf(request)
    if (secret) {
      // who it was, before the session is gone; an unknown or expired cookie is not an event
      const actor = await actorFromSession(services.db, secret)
      if (actor) audit.who = { id: actor.id, label: actor.email, client: 'browser session' }
      await endSession(services.db, secret)
    }
    return Response.json({ ok: true }, { headers: { 'set-cookie': clearedSessionCookie } })
  },
  { audit: 'session.sign-out' },
)
