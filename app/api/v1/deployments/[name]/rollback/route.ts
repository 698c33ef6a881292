import { rollback } from '@/server/deployments/deployments'
import { deploymentChangeRoute } from '@/server/deployments/routes'

/** One step back: the challenger is withdrawn, or (with none) the version before the last promotion or switch serves again. */
export const POST = deploymentChangeRoute(rollback, 'deployment.rollback')
