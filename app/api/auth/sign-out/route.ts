import { actorFromSession, endSession, sessionCookieName } from '@/server/auth/accounts'
import { publicRoute } from '@/server/http/route'
import { clearedSessionCookie } from '@/server/http/session-cookie'

export const POST = publicRoute(
  async ({ request, services, audit }) => {
    const secret = request.headers
      .get('cookie')
      ?.split(';')
      .map((part) => part.trim().split('='))
      .find(([key]) => key === sessionCookieName)?.[1]
    if (secret) {
      // who it was, before the session is gone; an unknown or expired cookie is not an event
      const actor = await actorFromSession(services.db, decodeURIComponent(secret))
      if (actor) audit.who = { id: actor.id, label: actor.email, client: 'browser session' }
      await endSession(services.db, decodeURIComponent(secret))
    }
    return Response.json({ ok: true }, { headers: { 'set-cookie': clearedSessionCookie } })
  },
  { audit: 'session.sign-out' },
)
