// Server-only: what the deployment REST routes share.
import type { Actor } from '@/server/auth/permissions'
import { logger } from '@/server/logger'
import { servingHostOf } from '@/server/serving/host'
import type { Services } from '@/server/services'
import { requireDeploymentName } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { deploymentView, type ChangedBy, type DeploymentRow } from './deployments'

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

type Change = (db: Services['db'], name: string, by: ChangedBy) => Promise<{ before: DeploymentRow; after: DeploymentRow }>

const traffic = (row: DeploymentRow) => ({ stable: row.stableVersion, challenger: row.challengerVersion, state: row.state })

/** A bodiless change of one deployment (promote, rollback, pause, resume): audited with the traffic before and after, served before it answers. */
export function deploymentChangeRoute(change: Change, action: 'deployment.promote' | 'deployment.rollback' | 'deployment.pause' | 'deployment.resume') {
  return apiRoute<{ name: string }>(
    'deployment:manage',
    async ({ params, services, actor, audit }) => {
      const name = requireDeploymentName(params.name)
      const { before, after } = await change(services.db, name, changedBy(actor))
      audit.on(`deployment ${name}`, { before: traffic(before), after: traffic(after) })
      await served(services, name)
      return deploymentView(after)
    },
    { audit: action },
  )
}
