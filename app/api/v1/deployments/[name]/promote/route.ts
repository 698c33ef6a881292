import { promote } from '@/server/deployments/deployments'
import { deploymentChangeRoute } from '@/server/deployments/routes'

/** The challenger becomes the stable version; the one before is kept for rollback. */
export const POST = deploymentChangeRoute(promote, 'deployment.promote')
