// What a deploy step asks the server to do: the value on its `deployment` port, checked again by
// the deployment publisher (server/runner/publish-outputs.ts), which makes the change.
import { z } from 'zod'
import { modelName } from '../train-handoff/definition'
import { deployStrategies, deploymentName } from './definition'

export const deployRequestSchema = z.strictObject({
  target: z.literal('server'),
  deployment: deploymentName,
  strategy: z.enum(deployStrategies),
  weight: z.number().min(1).max(99).optional(),
  model: z.strictObject({ name: modelName, version: z.int().positive() }),
})
export type DeployRequest = z.infer<typeof deployRequestSchema>

/** What the step's `deployment` output says once the change is made: a reference to the live deployment. */
export const deploymentReferenceSchema = z.object({
  deployment: deploymentName,
  target: z.literal('server'),
  model: modelName,
  version: z.int().positive(),
  /** what this step did: made the deployment, rolled the version out, or found it already serving */
  action: z.enum(['create', 'rollout', 'unchanged']),
  strategy: z.enum(deployStrategies),
  weight: z.number().optional(),
  /** `run <id>`, or the approver's email */
  by: z.string(),
  predictUrl: z.string(),
})
export type DeploymentReference = z.infer<typeof deploymentReferenceSchema>

/** The sentence an approver reads and the log shows. */
export function describeRequest(request: DeployRequest): string {
  const how =
    request.strategy === 'single'
      ? 'serving all requests'
      : request.strategy === 'canary'
        ? `as a ${request.weight}% canary`
        : request.strategy === 'shadow'
          ? 'as a shadow (sees every request, answers none)'
          : 'blue-green (warm, answering nothing until promoted)'
  return `Deploy model "${request.model.name}" version ${request.model.version} to "${request.deployment}" ${how}; if "${request.deployment}" does not exist yet, it is created serving this version alone.`
}

/** What an expired approval names: `the rollout of model "penguins" version 2 to "penguin-api"`. */
export function describeRollout(request: Pick<DeployRequest, 'deployment' | 'model'>): string {
  return `the rollout of model "${request.model.name}" version ${request.model.version} to "${request.deployment}"`
}

/** Hours as a person reads a wait: `72 h`, `30 min`, `3.6 s`. */
export function formatHours(hours: number): string {
  const round = (n: number) => String(Math.round(n * 100) / 100)
  if (hours >= 1) return `${round(hours)} h`
  if (hours * 60 >= 1) return `${round(hours * 60)} min`
  return `${round(hours * 3600)} s`
}
