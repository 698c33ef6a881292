// Server-only: the deployments this process serves, each with its versions loaded and warm.
// A change (made here, or by another process: rows are polled) is applied by loading what the new
// state needs first, then switching the state in one step, then letting versions no longer needed
// drain and close. So a rollout or a rollback never sends a request to a version still loading,
// and the requests already running on the old version finish there: no request fails.
import { deployments } from '@/db/schema'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { findDeployment, routingState, type DeploymentRow } from '@/server/deployments/deployments'
import { NotFoundError } from '@/server/errors'
import { logger } from '@/server/logger'
import { getModelVersion } from '@/server/models/registry'
import type { Services } from '@/server/services'
import { failsafeSchema, type FailsafeConfig } from './failsafe'
import { ModelPool, modelKey, type ServedModel } from './runtime'

export interface ServedVersion {
  version: number
  model: ServedModel
  metadata: ModelMetadata
}

export interface LiveDeployment {
  row: DeploymentRow
  /** stable, and the challenger when there is one */
  versions: Map<number, ServedVersion>
  failsafe: FailsafeConfig | null
}

const pollEveryMs = 1000

/** The versions a row needs loaded: its stable one and its challenger. */
function neededVersions(row: DeploymentRow): number[] {
  const state = routingState(row)
  return [state.stable.version, ...(state.challenger ? [state.challenger.version] : [])]
}

/** Pool keys are per deployment: each serves with its own batching and limits. */
const keyOf = (row: DeploymentRow, version: number) => `${row.name}/${modelKey(row.modelName, version)}`

export class LiveDeployments {
  private readonly live = new Map<string, LiveDeployment>()
  private readonly syncing = new Map<string, Promise<LiveDeployment | null>>()
  private readonly pool: ModelPool
  private readonly sources = new Map<string, { row: DeploymentRow; version: number }>()
  private poller: NodeJS.Timeout | null = null
  private lastPoll = new Map<string, number>()

  /** told after each change is served (null: the deployment is gone), e.g. to follow its event consumers */
  onChange: (name: string, live: LiveDeployment | null) => Promise<void> = async () => {}

  constructor(private readonly services: Services) {
    this.pool = new ModelPool(async (key) => {
      const source = this.sources.get(key)
      if (!source) throw new Error(`no source recorded for ${key}`)
      const found = await getModelVersion(services.db, source.row.modelName, source.version)
      const path = await services.store.localPath(found.artifactId)
      return { path, metadata: found.metadata, options: source.row.serving }
    })
  }

  /** The deployment as served now, loading it on its first request in this process. */
  async get(name: string): Promise<LiveDeployment> {
    const live = this.live.get(name) ?? (await this.sync(name))
    if (!live) throw new NotFoundError(`No deployment named ${JSON.stringify(name)}.`)
    return live
  }

  /** Brings one deployment in step with its row; concurrent calls share one. */
  sync(name: string): Promise<LiveDeployment | null> {
    const running = this.syncing.get(name)
    if (running) return running.then(() => this.syncNow(name))
    const next = this.syncNow(name).finally(() => this.syncing.delete(name))
    this.syncing.set(name, next)
    return next
  }

  private async syncNow(name: string): Promise<LiveDeployment | null> {
    let row: DeploymentRow
    try {
      row = await findDeployment(this.services.db, name)
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error
      await this.drop(name)
      return null
    }
    const before = this.live.get(name)
    if (before && before.row.updatedAt.getTime() === row.updatedAt.getTime()) return before
    const versions = new Map<number, ServedVersion>()
    for (const version of neededVersions(row)) {
      const key = keyOf(row, version)
      const kept = before?.versions.get(version)
      if (kept && this.pool.get(key)) {
        versions.set(version, kept)
        continue
      }
      this.sources.set(key, { row, version })
      const model = await this.pool.acquire(key)
      versions.set(version, { version, model, metadata: model.metadata })
    }
    const parsed = row.failsafe ? failsafeSchema.safeParse(row.failsafe) : null
    const next: LiveDeployment = { row, versions, failsafe: parsed?.success ? parsed.data : null }
    this.live.set(name, next)
    this.lastPoll.set(name, row.updatedAt.getTime())
    // only now, with the new state answering, do versions it no longer needs drain and close
    for (const version of before?.versions.keys() ?? []) {
      if (!versions.has(version)) void this.pool.release(keyOf(before!.row, version))
    }
    await this.onChange(name, next)
    return next
  }

  private async drop(name: string): Promise<void> {
    const before = this.live.get(name)
    this.live.delete(name)
    this.lastPoll.delete(name)
    for (const version of before?.versions.keys() ?? []) await this.pool.release(keyOf(before!.row, version))
    await this.onChange(name, null)
  }

  /** Follows changes other processes make: each second, the rows whose `updatedAt` moved are synced. */
  startPolling(): void {
    this.poller ??= setInterval(() => void this.poll().catch((error: unknown) => logger.warn({ err: error }, 'serving: could not poll deployments')), pollEveryMs)
    this.poller.unref()
  }

  private async poll(): Promise<void> {
    const rows = await this.services.db.select({ name: deployments.name, updatedAt: deployments.updatedAt }).from(deployments)
    const present = new Set(rows.map((r) => r.name))
    for (const { name, updatedAt } of rows) {
      const seen = this.lastPoll.get(name)
      if (seen !== undefined && seen !== updatedAt.getTime()) await this.sync(name)
    }
    for (const name of this.live.keys()) if (!present.has(name)) await this.drop(name)
  }

  /** Loads every deployment (a `serve` process starts warm); gives the names that could not be loaded. */
  async loadAll(): Promise<string[]> {
    const rows = await this.services.db.select({ name: deployments.name }).from(deployments)
    const failed: string[] = []
    for (const { name } of rows) {
      await this.sync(name).catch((error: unknown) => {
        failed.push(name)
        logger.error({ err: error, deployment: name }, 'serving: a deployment could not be loaded')
      })
    }
    return failed
  }

  async close(): Promise<void> {
    if (this.poller) clearInterval(this.poller)
    this.poller = null
    await this.pool.close()
    this.live.clear()
  }
}
