import { deploymentView, setPaused } from '@/server/deployments/deployments'
import { changedBy, served } from '@/server/deployments/routes'
import { requireDeploymentName } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'

/** Freezes the rollout: traffic stays split as it is until resumed. */
export const POST = apiRoute<{ name: string }>(
  'deployment:manage',
  async ({ params, services, actor, audit }) => {
    const name = requireDeploymentName(params.name)
    const { before, after } = await setPaused(services.db, name, true, changedBy(actor))
    audit.on(`deployment ${name}`, { before: { stable: before.stableVersion, challenger: before.challengerVersion, state: before.state }, after: { stable: after.stableVersion, challenger: after.challengerVersion, state: after.state } })
    await served(services, name)
    return deploymentView(after)
  },
  { audit: 'deployment.pause' },
)
