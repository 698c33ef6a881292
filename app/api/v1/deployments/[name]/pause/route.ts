import { setPaused } from '@/server/deployments/deployments'
import { deploymentChangeRoute } from '@/server/deployments/routes'

/** Freezes the rollout: traffic stays split as it is until resumed. */
export const POST = deploymentChangeRoute((db, name, by) => setPaused(db, name, true, by), 'deployment.pause')
