import { deploymentView, rollout } from '@/server/deployments/deployments'
import { changedBy, served } from '@/server/deployments/routes'
import { requireDeploymentName } from '@/server/http/ids'
import { apiRoute, bodyLimits, readJson } from '@/server/http/route'
import { rolloutRequestSchema } from '@/server/serving/routing'

/** `{ version, strategy: "canary" | "shadow" | "blue-green", weight }`: a challenger goes out (the same version again moves a canary's weight). */
export const POST = apiRoute<{ name: string }>(
  'deployment:manage',
  async ({ request, params, services, actor, audit }) => {
    const name = requireDeploymentName(params.name)
    const body = rolloutRequestSchema.parse(await readJson(request, { maxBytes: bodyLimits.json }))
    const { before, after } = await rollout(services.db, name, body, changedBy(actor))
    audit.on(`deployment ${name}`, { ...body, stableBefore: before.stableVersion })
    await served(services, name)
    return deploymentView(after)
  },
  { audit: 'deployment.rollout' },
)
