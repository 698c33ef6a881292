import { z } from 'zod'
import { checkPassword } from '@/server/auth/accounts'
import { publicRoute, readJson } from '@/server/http/route'
import { sessionCookieFor } from '@/server/http/session-cookie'

const signInInput = z.object({ email: z.string().trim().min(1, 'enter your email'), password: z.string().min(1, 'enter your password') })

export const POST = publicRoute(
  async ({ request, services, audit }) => {
    const input = signInInput.parse(await readJson(request))
    const actor = await checkPassword(services.db, input.email, input.password)
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
