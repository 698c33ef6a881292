import { z } from 'zod'
import { checkPassword } from '@/server/auth/accounts'
import { publicRoute, readJson } from '@/server/http/route'
import { sessionCookieFor } from '@/server/http/session-cookie'

const signInInput = z.object({ email: z.string().trim().min(1, 'enter your email'), password: z.string().min(1, 'enter your password') })

export const POST = publicRoute(async ({ request, services }) => {
  const input = signInInput.parse(await readJson(request))
  const actor = await checkPassword(services.db, input.email, input.password)
  if (!actor) return Response.json({ error: 'That email and password do not match an account.' }, { status: 401 })
  const cookie = await sessionCookieFor(services.db, actor.id, request)
  return Response.json({ user: actor }, { headers: { 'set-cookie': cookie } })
})
