import { cookies } from 'next/headers'
import { forbidden, redirect } from 'next/navigation'
import { actorFromSession, hasAnyUser, sessionCookieName } from '@/server/auth/accounts'
import { can, type Actor, type Requirement } from '@/server/auth/permissions'
import { boot } from '@/server/boot'
import { getServices, type Services } from '@/server/services'

/**
 * For server components: the signed-in actor, or a redirect to setup (first run) or sign-in. A role without
 * `requirement` gets the not-allowed page (app/forbidden.tsx, status 403); throwing AuthError here would
 * show the error page with a 500.
 */
export async function requirePageActor(requirement: Requirement = 'pipeline:read'): Promise<{ actor: Actor; services: Services }> {
  await boot()
  const services = await getServices()
  const secret = (await cookies()).get(sessionCookieName)?.value
  const actor = secret ? await actorFromSession(services.db, secret) : null
  if (!actor) redirect((await hasAnyUser(services.db)) ? '/sign-in' : '/setup')
  if (!can(actor, requirement)) forbidden()
  return { actor, services }
}
