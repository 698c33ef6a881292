import { z } from 'zod'
import { defineNode } from '../contract'
import { modelName } from '../train-handoff/definition'

export const deployStrategies = ['single', 'canary', 'shadow', 'blue-green'] as const
export type DeployStrategy = (typeof deployStrategies)[number]

/** Deployment names follow model names: they appear in URLs (`/api/v1/deployments/{name}/predict`). */
export const deploymentName = modelName

/** A canary without a weight answers this share of the requests. */
export const defaultCanaryWeight = 10

/**
 * How long a step with approval waits for a decision before it fails: three days covers a weekend.
 * The floor (3.6 s) only keeps the value positive; the ceiling (30 days) keeps a forgotten
 * approval from parking a run for months.
 */
export const approvalTimeoutHours = { default: 72, min: 0.001, max: 720 } as const

export const deployConfig = z
  .strictObject({
    target: z.literal('server', { error: 'target must be "server": the model is served by Pipewright (edge targets come later)' }).default('server').describe('Where the model is served'),
    deployment: deploymentName.describe('The deployment the model goes to; a run creates it if it does not exist yet, else rolls the new version out to it'),
    strategy: z
      .enum(deployStrategies, { error: 'strategy must be one of "single", "canary", "shadow" or "blue-green"' })
      .default('single')
      .describe('How a new version replaces the serving one: at once (single), on a share of requests (canary), beside it unseen (shadow), warm until promoted (blue-green)'),
    weight: z
      .number({ error: 'weight must be a number: the percentage of requests the canary answers' })
      .min(1, 'weight is a percentage of requests: at least 1')
      .max(99, 'weight is a percentage of requests: at most 99 (100 is a "single" rollout)')
      .optional()
      .describe(`Canary only: the percentage of requests the new version answers (default ${defaultCanaryWeight})`)
      // the form shows it only for a canary (or while it holds a value the schema refuses)
      .meta({ shownWhen: { strategy: ['canary'] } }),
    approval: z.boolean({ error: 'approval must be true or false' }).default(false).describe('Wait until an operator approves the rollout on the step page'),
    approvalTimeoutHours: z
      .number({ error: 'approvalTimeoutHours must be a number of hours' })
      .min(approvalTimeoutHours.min, `approvalTimeoutHours must be at least ${approvalTimeoutHours.min} (3.6 seconds)`)
      .max(approvalTimeoutHours.max, `approvalTimeoutHours must be at most ${approvalTimeoutHours.max} (30 days)`)
      .default(approvalTimeoutHours.default)
      .describe('With approval: the step fails, and the run with it, when nobody approves or rejects the rollout within this many hours')
      .meta({ title: 'Approval timeout (hours)', shownWhen: { approval: [true] } }),
  })
  .superRefine((config, ctx) => {
    if (config.weight !== undefined && config.strategy !== 'canary') {
      ctx.addIssue({ code: 'custom', path: ['weight'], message: `weight is the canary's share of requests; a ${config.strategy} rollout takes none: remove it or choose strategy "canary"` })
    }
  })
export type DeployConfig = z.output<typeof deployConfig>

export const deploy = defineNode({
  kind: 'deploy',
  version: 1,
  ports: { in: { model: 'model' }, out: { deployment: 'deployment' } },
  config: deployConfig,
  ui: {
    title: 'Deploy',
    category: 'deploy',
    icon: 'rocket',
    aliases: ['deploy', 'serve', 'release', 'endpoint', 'canary', 'shadow', 'blue-green', 'rollout', 'approval', 'inference'],
    description:
      'Serves the registered model version from the model input: creates the deployment the first time, then rolls each new version out as chosen (at once, canary, shadow or blue-green), optionally after an operator approves.',
  },
  // a deployment is changed once: a retry could roll out twice
  retry: { attempts: 1, backoffMs: 0 },
  // what it changes is the live deployment, which others may have moved since: it always runs
  cache: false,
  migrations: [],
})
