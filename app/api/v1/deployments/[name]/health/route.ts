import { findDeployment } from '@/server/deployments/deployments'
import { requireDeploymentName } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { servingHostOf } from '@/server/serving/host'

/** Live health in this process over the last 10 s (requests/s, p95, error and fallback rates) and a 2-minute series. */
export const GET = apiRoute<{ name: string }>('deployment:read', async ({ params, services }) => {
  const row = await findDeployment(services.db, requireDeploymentName(params.name))
  return { name: row.name, ...servingHostOf(services).health.summary(row.name) }
})
