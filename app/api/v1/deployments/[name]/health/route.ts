import { findDeployment } from '@/server/deployments/deployments'
import { requireDeploymentName } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { fleetHealth } from '@/server/serving/fleet-health'

/**
 * Live health across every serving process over the last 30 s (requests/s, p95, error and fallback
 * rates), per version too, with a 5-minute series in 5 s buckets.
 */
export const GET = apiRoute<{ name: string }>('deployment:read', async ({ params, services }) => {
  const row = await findDeployment(services.db, requireDeploymentName(params.name))
  return fleetHealth(services.db, row)
})
