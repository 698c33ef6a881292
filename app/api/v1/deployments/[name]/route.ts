import { z } from 'zod'
import { servingLimitsSchema } from '@/server/deployments/bodies'
import { deploymentHistory, deploymentView, findDeployment, updateSettings } from '@/server/deployments/deployments'
import { changedBy } from '@/server/deployments/routes'
import { requireDeploymentName } from '@/server/http/ids'
import { apiRoute, bodyLimits, readJson } from '@/server/http/route'

/** The deployment: versions with their roles and weights, state, settings, and its history (newest first). */
export const GET = apiRoute<{ name: string }>('deployment:read', async ({ params, services }) => {
  const row = await findDeployment(services.db, requireDeploymentName(params.name))
  return { ...deploymentView(row), history: await deploymentHistory(services.db, row.id) }
})

const settingsBody = z
  .object({
    public: z.boolean(),
    logSample: z.number().min(0).max(1),
    serving: servingLimitsSchema,
  })
  .partial()
  .strict()

/** `PATCH` settings that move no traffic: `public`, `logSample` (0–1), `serving` limits. */
export const PATCH = apiRoute<{ name: string }>(
  'deployment:manage',
  async ({ request, params, services, actor, audit }) => {
    const name = requireDeploymentName(params.name)
    const settings = settingsBody.parse(await readJson(request, { maxBytes: bodyLimits.json }))
    const { after } = await updateSettings(services.db, name, settings, changedBy(actor))
    audit.on(`deployment ${name}`, settings)
    return deploymentView(after)
  },
  { audit: 'deployment.update' },
)
