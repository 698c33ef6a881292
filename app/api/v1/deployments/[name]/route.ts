import { z } from 'zod'
import { servingLimitsSchema } from '@/server/deployments/bodies'
import { deploymentHistory, deploymentView, findDeployment, redactedSettings, updateSettings, type DeploymentRow } from '@/server/deployments/deployments'
import { changedBy, served } from '@/server/deployments/routes'
import type { Db } from '@/db'
import { BadRequestError } from '@/server/http/errors'
import { requireDeploymentName } from '@/server/http/ids'
import { getModelVersion } from '@/server/models/registry'
import { deploymentEventsSchema } from '@/server/serving/event-consumers'
import { checkFailsafe, failsafeSchema, type FailsafeConfig } from '@/server/serving/failsafe'
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
    failsafe: failsafeSchema.nullable(),
    events: deploymentEventsSchema,
  })
  .partial()
  .strict()

/** The fail-safe must make sense for the model it guards: its rules name the model's features, its answers fit its task. */
async function checkAgainstModel(db: Db, row: DeploymentRow, failsafe: FailsafeConfig): Promise<void> {
  const { metadata } = await getModelVersion(db, row.modelName, row.stableVersion)
  const problems = checkFailsafe(failsafe, metadata)
  if (problems.length > 0) throw new BadRequestError(`failsafe: ${problems[0]!.path ? `${problems[0]!.path}: ` : ''}${problems[0]!.message}`, problems)
}

/** `PATCH` settings that move no traffic: `public`, `logSample` (0–1), `serving` limits, `failsafe` (null removes it), `events` (queues and topics it consumes). */
export const PATCH = apiRoute<{ name: string }>(
  'deployment:manage',
  async ({ request, params, services, actor, audit }) => {
    const name = requireDeploymentName(params.name)
    const settings = settingsBody.parse(await readJson(request, { maxBytes: bodyLimits.json }))
    if (settings.failsafe) await checkAgainstModel(services.db, await findDeployment(services.db, name), settings.failsafe)
    const { after } = await updateSettings(services.db, name, settings, changedBy(actor))
    audit.on(`deployment ${name}`, redactedSettings(settings))
    await served(services, name)
    return deploymentView(after)
  },
  { audit: 'deployment.update' },
)
