import 'server-only'
import { cookies } from 'next/headers'
import { actorFromSession, hasAnyUser, sessionCookieName } from '@/server/auth/accounts'
import type { Actor } from '@/server/auth/permissions'
import { boot } from '@/server/boot'
import { getServices } from '@/server/services'

/** The signed-in actor, or null; never redirects (the top bar and the sign-in pages use it). */
export async function currentActor(): Promise<Actor | null> {
  const secret = (await cookies()).get(sessionCookieName)?.value
  if (!secret) return null
  await boot()
  const services = await getServices()
  return actorFromSession(services.db, secret)
}

export async function anyUserExists(): Promise<boolean> {
  await boot()
  const services = await getServices()
  return hasAnyUser(services.db)
}
