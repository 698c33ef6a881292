// Server-only: what the deployment REST routes share.
import type { Actor } from '@/server/auth/permissions'
import type { ChangedBy } from './deployments'

export function changedBy(actor: Actor): ChangedBy {
  return { actorId: actor.id, label: actor.email }
}
