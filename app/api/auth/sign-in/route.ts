import { z } from 'zod'
import { signInWithLimits } from '@/server/auth/sign-in'
import { clientAddress } from '@/server/http/client-address'
import { publicRoute, readJson } from '@/server/http/route'
import { sessionCookieFor } from '@/server/http/session-cookie'

const signInInput = z.object({
  email: z.string().trim().min(1, 'enter your email').max(200),
  password: z.string().min(1, 'enter your password').max(200),
})

/** 401 for a wrong pair (the same words whether or not the e-mail exists); 429 with Retry-After when locked. */
export const POST = publicRoute(async ({ request, services }) => {
  const input = signInInput.parse(await readJson(request))
  const actor = await signInWithLimits(services.db, { ...input, client: clientAddress(request.headers) })
  if (!actor) return Response.json({ error: 'That email and password do not match an account.' }, { status: 401 })
  const cookie = await sessionCookieFor(services.db, actor.id, request)
  return Response.json({ user: actor }, { headers: { 'set-cookie': cookie } })
})
