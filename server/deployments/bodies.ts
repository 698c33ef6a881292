// What callers send to change deployments, checked before anything runs.
import { z } from 'zod'
import { challengerStrategies } from '@/db/schema'
import { slugName } from '@/server/compiler/pipeline-file'
import { versionNumber } from '@/server/http/ids'

const slug = (what: string) => slugName.describe(what)

export const deploymentStrategies = ['single', ...challengerStrategies] as const

/** `POST /api/v1/deployments`: a version or an alias, never both. */
export const createDeploymentBody = z
  .object({
    name: slug('deployment name'),
    model: slug('model name'),
    version: versionNumber.optional(),
    alias: slug('alias').optional(),
    target: z.literal('server', { error: 'target must be "server" (edge targets come later)' }).default('server'),
    strategy: z.enum(deploymentStrategies).default('single'),
    public: z.boolean().default(false),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.version === undefined) === (body.alias === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['version'], message: 'give either "version" or "alias" (exactly one)' })
    }
    if (body.strategy === 'canary' || body.strategy === 'shadow') {
      ctx.addIssue({
        code: 'custom',
        path: ['strategy'],
        message: `a ${body.strategy} needs a version already serving: create the deployment with "single", then POST /api/v1/deployments/${body.name}/rollout`,
      })
    }
  })
export type CreateDeploymentBody = z.infer<typeof createDeploymentBody>

/** `PATCH /api/v1/deployments/{name}`: settings that do not move traffic. */
export const servingLimitsSchema = z
  .object({
    maxBatch: z.number().int().min(1).max(1024),
    maxWaitMs: z.number().min(0).max(100),
    timeoutMs: z.number().int().min(10).max(60_000),
    threads: z.number().int().min(1).max(8),
    maxQueue: z.number().int().min(1).max(10_000),
  })
  .partial()
  .strict()
export type ServingLimits = z.infer<typeof servingLimitsSchema>
