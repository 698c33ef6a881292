import { roleSummaries } from '@/server/auth/permissions'
import { refusalTexts } from '@/server/auth/page-access'
import { NotAllowed } from './_components/not-allowed'
import { currentActor } from './_lib/session'

/** What `forbidden()` shows, with status 403: a signed-in role opened a page it may not (requirePageActor). */
export default async function Forbidden() {
  const actor = await currentActor().catch(() => null)
  const who = actor ? { name: actor.name, role: roleSummaries[actor.role].label, roleDescription: roleSummaries[actor.role].description } : null
  return <NotAllowed who={who} refusals={actor ? refusalTexts(actor.role) : []} />
}
