import { setPaused } from '@/server/deployments/deployments'
import { deploymentChangeRoute } from '@/server/deployments/routes'

/** Resumes a paused rollout. */
export const POST = deploymentChangeRoute((db, name, by) => setPaused(db, name, false, by), 'deployment.resume')
