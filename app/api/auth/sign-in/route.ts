import { z } from 'zod'
import { text } from '@/server/validation/text'
import { checkPassword } from '@/server/auth/accounts'
import { publicRoute, bodyLimits, readJson } from '@/server/http/route'
import { sessionCookieFor } from '@/server/http/session-cookie'

const signInInput = z.object({
  email: text({ min: 1, max: 200, minMessage: 'enter your email' }),
  password: text({ min: 1, max: 200, trim: false, minMessage: 'enter your password' }),
})

export const POST = publicRoute(async ({ request, services }) => {
  const input = signInInput.parse(await readJson(request, { maxBytes: bodyLimits.public }))
  const actor = await checkPassword(services.db, input.email, input.password)
  if (!actor) return Response.json({ error: 'That email and password do not match an account.' }, { status: 401 })
  const cookie = await sessionCookieFor(services.db, actor.id, request)
  return Response.json({ user: actor }, { headers: { 'set-cookie': cookie } })
})
