import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { actorFromSession, hasAnyUser, sessionCookieName } from '@/server/auth/accounts'
import { authorize, type Action, type Actor } from '@/server/auth/permissions'
import { boot } from '@/server/boot'
import { getServices, type Services } from '@/server/services'

/** For server components: the signed-in actor, or a redirect to setup (first run) or sign-in. */
export async function requirePageActor(action: Action = 'pipeline:read'): Promise<{ actor: Actor; services: Services }> {
  await boot()
  const services = await getServices()
  const secret = (await cookies()).get(sessionCookieName)?.value
  const actor = secret ? await actorFromSession(services.db, secret) : null
  if (!actor) redirect((await hasAnyUser(services.db)) ? '/sign-in' : '/setup')
  return { actor: authorize(actor, action), services }
}
