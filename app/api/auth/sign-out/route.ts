import { endSession } from '@/server/auth/accounts'
import { publicRoute } from '@/server/http/route'
import { clearedSessionCookie, sessionSecretOf } from '@/server/http/session-cookie'

export const POST = publicRoute(async ({ request, services }) => {
  const secret = sessionSecretOf(request)
  if (secret) await endSession(services.db, secret)
  return Response.json({ ok: true }, { headers: { 'set-cookie': clearedSessionCookie } })
})
