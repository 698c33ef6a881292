// Server-only: deployments as records — create, roll out, promote, roll back, pause — each change
// in one transaction with its history entry. Serving follows these rows (see server/serving).
import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { deploymentEvents, deployments, type ChallengerStrategy } from '@/db/schema'
import { ConflictError, NotFoundError } from '@/server/errors'
import { getModelVersion, resolveAlias } from '@/server/models/registry'
import type { CreateDeploymentBody, RolloutBody, ServingLimits } from './bodies'

export type DeploymentRow = typeof deployments.$inferSelect

/** Who changed a deployment: a person, or a pipeline run's deploy step. */
export interface ChangedBy {
  actorId: string | null
  label: string
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export async function findDeployment(db: Db | Tx, name: string): Promise<DeploymentRow> {
  const [row] = await db.select().from(deployments).where(eq(deployments.name, name))
  if (!row) throw new NotFoundError(`No deployment named ${JSON.stringify(name)}.`)
  return row
}

export async function listDeploymentRows(db: Db): Promise<DeploymentRow[]> {
  return db.select().from(deployments).orderBy(deployments.name)
}

async function record(tx: Tx, deploymentId: string, by: ChangedBy, action: string, detail: Record<string, unknown>): Promise<void> {
  await tx.insert(deploymentEvents).values({ deploymentId, actorId: by.actorId, actorLabel: by.label, action, detail })
}

/** Locks the row for the change, applies it, bumps `updatedAt` and records what happened. */
async function change(
  db: Db,
  name: string,
  by: ChangedBy,
  apply: (row: DeploymentRow) => Promise<{ set: Partial<DeploymentRow>; action: string; detail: Record<string, unknown> }>,
): Promise<{ before: DeploymentRow; after: DeploymentRow }> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(deployments).where(eq(deployments.name, name)).for('update')
    if (!before) throw new NotFoundError(`No deployment named ${JSON.stringify(name)}.`)
    const { set, action, detail } = await apply(before)
    const [after] = await tx
      .update(deployments)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(deployments.id, before.id))
      .returning()
    await record(tx, before.id, by, action, detail)
    return { before, after: after! }
  })
}

export async function createDeployment(db: Db, body: CreateDeploymentBody, by: ChangedBy): Promise<DeploymentRow> {
  const version = body.version ?? (await resolveAlias(db, body.model, body.alias!))
  await getModelVersion(db, body.model, version) // a missing model or version is a 404 naming it
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: deployments.id }).from(deployments).where(eq(deployments.name, body.name))
    if (taken) throw new ConflictError(`A deployment named "${body.name}" already exists: roll out a new version to it, or pick another name.`)
    const [row] = await tx
      .insert(deployments)
      .values({ name: body.name, target: body.target, modelName: body.model, alias: body.alias ?? null, stableVersion: version, public: body.public, createdBy: by.actorId })
      .returning()
    await record(tx, row!.id, by, 'create', { model: body.model, version, ...(body.alias ? { alias: body.alias } : {}), strategy: body.strategy })
    return row!
  })
}

/**
 * A challenger goes out: a canary takes `weight`% (sent again with the same version, the weight
 * moves: a ramp), a shadow sees every request without answering, a blue-green switch answers
 * everything at once and keeps the version before for rollback.
 */
export async function rollout(db: Db, name: string, body: RolloutBody, by: ChangedBy): Promise<{ before: DeploymentRow; after: DeploymentRow }> {
  return change(db, name, by, async (row) => {
    await getModelVersion(db, row.modelName, body.version)
    if (body.version === row.stableVersion) {
      throw new ConflictError(`Version ${body.version} is already the stable version of "${name}": roll out another version.`)
    }
    if (row.challengerVersion !== null && row.challengerVersion !== body.version) {
      throw new ConflictError(
        `Version ${row.challengerVersion} is already rolling out to "${name}" as a ${row.challengerStrategy}: promote it or roll it back before rolling out version ${body.version}.`,
      )
    }
    if (row.state === 'paused') throw new ConflictError(`The rollout of "${name}" is paused: resume it before changing its traffic.`)
    const detail = { version: body.version, strategy: body.strategy, ...(body.weight !== undefined ? { weight: body.weight } : {}), from: row.stableVersion }
    if (body.strategy === 'blue-green') {
      return { set: { previousVersion: row.stableVersion, stableVersion: body.version, ...noChallenger }, action: 'rollout', detail }
    }
    return { set: { challengerVersion: body.version, challengerStrategy: body.strategy, weight: body.weight ?? 0 }, action: 'rollout', detail }
  })
}

const noChallenger = { challengerVersion: null, challengerStrategy: null, weight: 0 } satisfies Partial<DeploymentRow>

/** The challenger becomes the stable version; the stable one before is kept for rollback. */
export async function promote(db: Db, name: string, by: ChangedBy) {
  return change(db, name, by, async (row) => {
    if (row.challengerVersion === null) throw new ConflictError(`"${name}" has no challenger to promote: roll one out first.`)
    return {
      set: { stableVersion: row.challengerVersion, previousVersion: row.stableVersion, ...noChallenger, state: 'live' },
      action: 'promote',
      detail: { version: row.challengerVersion, from: row.stableVersion },
    }
  })
}

/**
 * One step back: a challenger is withdrawn (the stable version answers everything again); with
 * none, the stable version before the last promotion or switch comes back.
 */
export async function rollback(db: Db, name: string, by: ChangedBy) {
  return change(db, name, by, async (row) => {
    if (row.challengerVersion !== null) {
      return { set: { ...noChallenger, state: 'live' }, action: 'rollback', detail: { withdrawn: row.challengerVersion, strategy: row.challengerStrategy, version: row.stableVersion } }
    }
    if (row.previousVersion === null) throw new ConflictError(`"${name}" has only ever served version ${row.stableVersion}: there is nothing to roll back to.`)
    return {
      set: { stableVersion: row.previousVersion, previousVersion: row.stableVersion, state: 'live' },
      action: 'rollback',
      detail: { version: row.previousVersion, from: row.stableVersion },
    }
  })
}

/** Paused: traffic stays split as it is and no rollout moves it, until resumed (Argo Rollouts' pause). */
export async function setPaused(db: Db, name: string, paused: boolean, by: ChangedBy) {
  return change(db, name, by, async (row) => {
    const state = paused ? 'paused' : 'live'
    if (row.state === state) throw new ConflictError(`"${name}" is already ${paused ? 'paused' : 'live'}.`)
    return { set: { state }, action: paused ? 'pause' : 'resume', detail: {} }
  })
}

export interface DeploymentSettings {
  public?: boolean
  logSample?: number
  serving?: ServingLimits
  failsafe?: Record<string, unknown> | null
}

export async function updateSettings(db: Db, name: string, settings: DeploymentSettings, by: ChangedBy) {
  return change(db, name, by, async (row) => {
    const set: Partial<DeploymentRow> = {}
    if (settings.public !== undefined) set.public = settings.public
    if (settings.logSample !== undefined) set.logSample = settings.logSample
    if (settings.serving !== undefined) set.serving = { ...row.serving, ...settings.serving }
    if (settings.failsafe !== undefined) set.failsafe = settings.failsafe
    return { set, action: 'update', detail: { ...settings } }
  })
}

export async function deploymentHistory(db: Db, deploymentId: string, limit = 200) {
  return db
    .select({ action: deploymentEvents.action, detail: deploymentEvents.detail, by: deploymentEvents.actorLabel, at: deploymentEvents.createdAt })
    .from(deploymentEvents)
    .where(and(eq(deploymentEvents.deploymentId, deploymentId)))
    .orderBy(desc(deploymentEvents.createdAt))
    .limit(limit)
}

/** The versions a row serves, and how: what `GET /api/v1/deployments/{name}` shows. */
export function servedVersions(row: DeploymentRow): { version: number; role: 'stable' | ChallengerStrategy; weight: number }[] {
  const challenger = row.challengerVersion
  if (challenger === null) return [{ version: row.stableVersion, role: 'stable', weight: 100 }]
  const canaryWeight = row.challengerStrategy === 'canary' ? row.weight : 0
  return [
    { version: row.stableVersion, role: 'stable', weight: 100 - canaryWeight },
    { version: challenger, role: row.challengerStrategy!, weight: canaryWeight },
  ]
}

export function strategyOf(row: DeploymentRow): 'single' | ChallengerStrategy {
  return row.challengerStrategy ?? 'single'
}

export function deploymentView(row: DeploymentRow) {
  return {
    name: row.name,
    target: row.target,
    model: row.modelName,
    ...(row.alias ? { alias: row.alias } : {}),
    strategy: strategyOf(row),
    state: row.state,
    versions: servedVersions(row),
    stableVersion: row.stableVersion,
    previousVersion: row.previousVersion,
    public: row.public,
    logSample: row.logSample,
    serving: row.serving,
    failsafe: row.failsafe,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}
