// Server-only: what the deployment REST routes share.
import type { Actor } from '@/server/auth/permissions'
import { logger } from '@/server/logger'
import { servingHostOf } from '@/server/serving/host'
import type { Services } from '@/server/services'
import type { ChangedBy } from './deployments'

export function changedBy(actor: Actor): ChangedBy {
  return { actorId: actor.id, label: actor.email }
}

/**
 * This process serves the change before the route answers (the versions it needs loaded and warm,
 * then traffic moved); other processes follow within a second of polling.
 */
export async function served(services: Services, name: string): Promise<void> {
  // the change is recorded either way; a version that fails to load is the serving log's to tell
  await servingHostOf(services)
    .deployments.sync(name)
    .catch((error: unknown) => logger.error({ err: error, deployment: name }, 'serving: the deployment could not be loaded'))
}
