// Server-only: deployments as records — create, roll out, promote, roll back, pause — each change
// in one transaction with its history entry. Serving follows these rows (see server/serving).
import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { deploymentEvents, deployments, type ChallengerStrategy } from '@/db/schema'
import { ConflictError, NotFoundError } from '@/server/errors'
import { getModelVersion, resolveAlias } from '@/server/models/registry'
import {
  pause as pauseState,
  promote as promoteState,
  resume as resumeState,
  rollBack,
  setCanaryWeight,
  startRollout,
  type Challenger,
  type RolloutRequest,
  type RoutingState,
} from '@/server/serving/routing'
import { redactUrl } from '@/server/serving/events/config'
import type { CreateDeploymentBody, ServingLimits } from './bodies'

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

/** The row's rollout as routing sees it. */
export function routingState(row: DeploymentRow): RoutingState {
  const stable = { version: row.stableVersion }
  const paused = row.state === 'paused'
  if (row.challengerVersion === null || row.challengerStrategy === null) return { stable, ...(paused ? { paused } : {}) }
  const challenger: Challenger =
    row.challengerStrategy === 'canary'
      ? { version: row.challengerVersion, strategy: 'canary', weight: row.weight }
      : { version: row.challengerVersion, strategy: row.challengerStrategy }
  return { stable, challenger, ...(paused ? { paused } : {}) }
}

/** A new routing state as columns; `previousVersion` is the caller's to set. */
function stateColumns(state: RoutingState): Partial<DeploymentRow> {
  const challenger = state.challenger
  return {
    stableVersion: state.stable.version,
    challengerVersion: challenger?.version ?? null,
    challengerStrategy: challenger?.strategy ?? null,
    weight: challenger?.strategy === 'canary' ? challenger.weight : 0,
    state: state.paused ? 'paused' : 'live',
  }
}

/**
 * A challenger goes out (the rules are routing's): a canary takes `weight`% (sent again for the
 * same version, only the weight moves: a ramp), a shadow sees every request without answering, a
 * blue-green preview is loaded and warm but answers nothing until promoted.
 */
export async function rollout(db: Db, name: string, body: RolloutRequest, by: ChangedBy): Promise<{ before: DeploymentRow; after: DeploymentRow }> {
  // checked before the row is locked (a deployment's model never changes): PGlite has one connection
  const { modelName } = await findDeployment(db, name)
  await getModelVersion(db, modelName, body.version)
  return change(db, name, by, async (row) => {
    const state = routingState(row)
    const ramp = body.strategy === 'canary' && state.challenger?.strategy === 'canary' && state.challenger.version === body.version
    const next = ramp ? setCanaryWeight(state, body.weight!) : startRollout(state, body)
    return { set: stateColumns(next), action: ramp ? 'weight' : 'rollout', detail: { ...body, stable: row.stableVersion } }
  })
}

/** The challenger becomes the stable version and answers everything; the one before is kept for rollback. */
export async function promote(db: Db, name: string, by: ChangedBy) {
  return change(db, name, by, async (row) => {
    const next = promoteState(routingState(row))
    return { set: { ...stateColumns(next), previousVersion: row.stableVersion }, action: 'promote', detail: { version: next.stable.version, from: row.stableVersion } }
  })
}

/**
 * One step back, always allowed (paused or not): a challenger is withdrawn and the stable
 * version answers everything; with none, the version before the last promotion serves again.
 */
export async function rollback(db: Db, name: string, by: ChangedBy) {
  return change(db, name, by, async (row) => {
    const state = routingState(row)
    if (state.challenger) {
      return { set: stateColumns(rollBack(state)), action: 'rollback', detail: { withdrawn: state.challenger.version, strategy: state.challenger.strategy, version: row.stableVersion } }
    }
    if (row.previousVersion === null) throw new ConflictError(`"${name}" has only ever served version ${row.stableVersion}: there is nothing to roll back to.`)
    return {
      set: { stableVersion: row.previousVersion, previousVersion: row.stableVersion, state: 'live' },
      action: 'rollback',
      detail: { version: row.previousVersion, from: row.stableVersion },
    }
  })
}

/** Paused: the rollout is frozen where it stands, its traffic split kept, until resumed. */
export async function setPaused(db: Db, name: string, paused: boolean, by: ChangedBy) {
  return change(db, name, by, async (row) => {
    const next = paused ? pauseState(routingState(row)) : resumeState(routingState(row))
    return { set: stateColumns(next), action: paused ? 'pause' : 'resume', detail: {} }
  })
}

export interface DeploymentSettings {
  public?: boolean
  logSample?: number
  serving?: ServingLimits
  failsafe?: Record<string, unknown> | null
  events?: Record<string, unknown>[]
}

/** Settings as history and the audit log show them: broker URLs without their passwords. */
export function redactedSettings(settings: DeploymentSettings): Record<string, unknown> {
  return { ...settings, ...(settings.events ? { events: settings.events.map(redactedSource) } : {}) }
}

function redactedSource(source: Record<string, unknown>): Record<string, unknown> {
  return { ...source, ...(typeof source.url === 'string' ? { url: redactUrl(source.url) } : {}) }
}

export async function updateSettings(db: Db, name: string, settings: DeploymentSettings, by: ChangedBy) {
  return change(db, name, by, async (row) => {
    const set: Partial<DeploymentRow> = {}
    if (settings.public !== undefined) set.public = settings.public
    if (settings.logSample !== undefined) set.logSample = settings.logSample
    if (settings.serving !== undefined) set.serving = { ...row.serving, ...settings.serving }
    if (settings.failsafe !== undefined) set.failsafe = settings.failsafe
    if (settings.events !== undefined) set.events = settings.events
    return { set, action: 'update', detail: redactedSettings(settings) }
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
    // credentials in broker URLs are never shown back
    events: row.events.map(redactedSource),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}
