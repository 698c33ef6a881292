import { endSession, sessionCookieName } from '@/server/auth/accounts'
import { publicRoute } from '@/server/http/route'
import { clearedSessionCookie } from '@/server/http/session-cookie'

export const POST = publicRoute(async ({ request, services }) => {
  const secret = request.headers
    .get('cookie')
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([key]) => key === sessionCookieName)?.[1]
  if (secret) await endSession(services.db, decodeURIComponent(secret))
  return Response.json({ ok: true }, { headers: { 'set-cookie': clearedSessionCookie } })
})
