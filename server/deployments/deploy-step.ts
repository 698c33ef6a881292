// Server-only: what a pipeline's deploy step does when its output is published — the first time
// it creates the deployment, afterwards it rolls the new version out with the step's strategy.
// Refusals (another model's deployment, a rollout already running, a paused one) fail the step
// with the reason; nothing changed then.
import { eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { deployments } from '@/db/schema'
import { StepError } from '@/nodes/contract'
import { deployRequestSchema, type DeploymentReference, type DeployRequest } from '@/nodes/deploy/request'
import { ConflictError, NotFoundError } from '@/server/errors'
import { logger } from '@/server/logger'
import { createDeployment, promote, rollout, type ChangedBy, type DeploymentRow } from './deployments'

export interface DeployingStep {
  runId: string
  pipelineId: string
  by: ChangedBy
}

/** The port's value, checked: an executor (or a stored approval) is not trusted blindly. */
export function parseDeployRequest(value: unknown): DeployRequest {
  const parsed = deployRequestSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new StepError(`The deploy step's request is invalid at ${issue?.path.join('.') || '(request)'}: ${issue?.message ?? ''}`)
  }
  return parsed.data
}

async function existing(db: Db, name: string): Promise<DeploymentRow | null> {
  const [row] = await db.select().from(deployments).where(eq(deployments.name, name))
  return row ?? null
}

type Action = DeploymentReference['action']

/** A rollout of the version already serving (a re-run without cache) changes nothing. */
function alreadyServing(row: DeploymentRow, request: DeployRequest): boolean {
  if (request.strategy === 'single') return row.stableVersion === request.model.version && row.challengerVersion === null
  return row.challengerVersion === request.model.version && row.challengerStrategy === request.strategy && (request.strategy !== 'canary' || row.weight === request.weight)
}

async function change(db: Db, row: DeploymentRow, request: DeployRequest, by: ChangedBy): Promise<Action> {
  if (row.modelName !== request.model.name) {
    throw new StepError(`The deployment "${row.name}" serves model "${row.modelName}", not "${request.model.name}": deploy to another name, or register this model as "${row.modelName}".`)
  }
  if (alreadyServing(row, request)) return 'unchanged'
  const { version } = request.model
  if (request.strategy === 'single') {
    // at once, through blue-green and promotion: the version before stays the rollback target
    if (row.challengerVersion !== version) await rollout(db, row.name, { version, strategy: 'blue-green' }, by)
    await promote(db, row.name, by)
    return 'rollout'
  }
  await rollout(db, row.name, { version, strategy: request.strategy, ...(request.strategy === 'canary' ? { weight: request.weight } : {}) }, by)
  return 'rollout'
}

async function apply(db: Db, request: DeployRequest, by: ChangedBy): Promise<Action> {
  const row = await existing(db, request.deployment)
  if (row) return change(db, row, request, by)
  // the first deployment serves the version alone: there is nothing to canary or shadow against yet
  await createDeployment(db, { name: request.deployment, model: request.model.name, version: request.model.version, target: request.target, strategy: 'single', public: false }, by)
  return 'create'
}

/** Makes the change the request asks for, as `step.by`; gives the reference the step's output keeps. */
export async function deployFromStep(db: Db, value: unknown, step: DeployingStep): Promise<DeploymentReference> {
  const request = parseDeployRequest(value)
  let action: Action
  try {
    action = await apply(db, request, step.by)
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError) throw new StepError(`"${request.deployment}" was not changed: ${error.message}`)
    throw error
  }
  await db.update(deployments).set({ pipelineId: step.pipelineId }).where(eq(deployments.name, request.deployment))
  logger.info({ deployment: request.deployment, model: request.model, action, runId: step.runId }, 'deploy step')
  const created = action === 'create'
  return {
    deployment: request.deployment,
    target: request.target,
    model: request.model.name,
    version: request.model.version,
    action,
    strategy: created ? 'single' : request.strategy,
    ...(!created && request.weight !== undefined ? { weight: request.weight } : {}),
    by: step.by.label,
    predictUrl: `/api/v1/deployments/${request.deployment}/predict`,
  }
}
