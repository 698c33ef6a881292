import { z } from 'zod'
import { signInWithLimits } from '@/server/auth/sign-in'
import { clientAddress } from '@/server/http/client-address'
import { bodyLimits, publicRoute, readJson } from '@/server/http/route'
import { sessionCookieFor } from '@/server/http/session-cookie'
import { text } from '@/server/validation/text'

const signInInput = z.object({
  email: text({ min: 1, max: 200, minMessage: 'enter your email' }),
  password: text({ min: 1, max: 200, trim: false, minMessage: 'enter your password' }),
})

/** 401 for a wrong pair (the same words whether or not the e-mail exists); 429 with Retry-After when locked. */
export const POST = publicRoute(
  async ({ request, services, audit }) => {
    const input = signInInput.parse(await readJson(request, { maxBytes: bodyLimits.public }))
    const actor = await signInWithLimits(services.db, { ...input, client: clientAddress(request.headers) })
    if (!actor) {
      // a failed attempt is kept too (as typed, no account id): many of them are someone guessing
      audit.who = { id: null, label: input.email.toLowerCase(), client: 'browser session' }
      audit.outcome = 'refused'
      audit.details = { reason: 'wrong email or password' }
      return Response.json({ error: 'That email and password do not match an account.' }, { status: 401 })
    }
    const cookie = await sessionCookieFor(services.db, actor.id, request)
    audit.who = { id: actor.id, label: actor.email, client: 'browser session' }
    return Response.json({ user: actor }, { headers: { 'set-cookie': cookie } })
  },
  { audit: 'session.sign-in' },
)
