// What the registry's pages show, read in one place: the list (each model with its latest version's
// task and metrics), one model's versions with their metrics, and where a version came from (the run,
// pipeline and steps behind its lineage). Read-only; the REST routes stay the registry's one contract.
import { desc, eq } from 'drizzle-orm'
import type { Db } from '@/db'
import { modelAliases, models, modelVersions, pipelines, runs, steps, type ModelLineage } from '@/db/schema'
import type { ModelTask } from '@/nodes/_lib/models/metadata'
import { NotFoundError } from '@/server/errors'

export interface ModelListEntry {
  name: string
  latestVersion: number
  /** alias → version, alphabetical */
  aliases: { alias: string; version: number }[]
  task: ModelTask
  algorithm: string
  /** the version a person judges the model by: the champion's when there is one, else the latest */
  measured: { version: number; metrics: Record<string, number> }
  /** the latest version's registration or the latest alias move, whichever came last */
  updatedAt: Date
}

/** Every model with a version, newest change first. */
export async function listModelsForPage(db: Db): Promise<ModelListEntry[]> {
  const rows = await db
    .select({ modelId: models.id, name: models.name, version: modelVersions.version, metadata: modelVersions.metadata, createdAt: modelVersions.createdAt })
    .from(models)
    .innerJoin(modelVersions, eq(modelVersions.modelId, models.id))
    .orderBy(models.name, desc(modelVersions.version))
  const aliases = await db.select().from(modelAliases).orderBy(modelAliases.alias)
  const latest = new Map<string, (typeof rows)[number]>()
  for (const row of rows) if (!latest.has(row.modelId)) latest.set(row.modelId, row)
  const entries = [...latest.values()].map((row) => {
    const own = aliases.filter((a) => a.modelId === row.modelId)
    const moved = Math.max(0, ...own.map((a) => a.updatedAt.getTime()))
    const championVersion = own.find((a) => a.alias === 'champion')?.version
    const measured = rows.find((r) => r.modelId === row.modelId && r.version === championVersion) ?? row
    return {
      name: row.name,
      latestVersion: row.version,
      aliases: own.map((a) => ({ alias: a.alias, version: a.version })),
      task: row.metadata.task,
      algorithm: row.metadata.algorithm,
      measured: { version: measured.version, metrics: measured.metadata.metrics ?? {} },
      updatedAt: new Date(Math.max(row.createdAt.getTime(), moved)),
    }
  })
  return entries.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
}

export interface VersionRow {
  version: number
  createdAt: Date
  task: ModelTask
  algorithm: string
  metrics: Record<string, number>
  /** null for an imported file */
  runId: string | null
  aliases: string[]
}

/** One model's versions, newest first, with their metrics and aliases. */
export async function listVersionsForPage(db: Db, name: string): Promise<{ name: string; versions: VersionRow[]; aliases: Record<string, number> }> {
  const [model] = await db.select().from(models).where(eq(models.name, name))
  if (!model) throw new NotFoundError(`No model named "${name}".`)
  const rows = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id)).orderBy(desc(modelVersions.version))
  const aliases = await db.select().from(modelAliases).where(eq(modelAliases.modelId, model.id)).orderBy(modelAliases.alias)
  return {
    name,
    aliases: Object.fromEntries(aliases.map((a) => [a.alias, a.version])),
    versions: rows.map((row) => ({
      version: row.version,
      createdAt: row.createdAt,
      task: row.metadata.task,
      algorithm: row.metadata.algorithm,
      metrics: row.metadata.metrics ?? {},
      runId: row.lineage?.runId ?? null,
      aliases: aliases.filter((a) => a.version === row.version).map((a) => a.alias),
    })),
  }
}

/** One input of the training step: a dataset artifact, and the step of the same run that wrote it. */
export interface LineageInput {
  artifactId: string
  producer: { nodeId: string; port: string } | null
}

export interface LineageView {
  runId: string
  /** null once the run was deleted: the ids in the lineage still say what it was */
  run: { status: string; createdAt: Date } | null
  pipeline: { id: string; name: string } | null
  pipelineVersion: number
  nodeId: string
  inputs: LineageInput[]
}

/** The lineage of a trained version, with the names and steps it points at looked up. */
export async function lineageView(db: Db, lineage: ModelLineage): Promise<LineageView> {
  const [run] = await db.select({ status: runs.status, createdAt: runs.createdAt }).from(runs).where(eq(runs.id, lineage.runId))
  const [pipeline] = await db.select({ id: pipelines.id, name: pipelines.name }).from(pipelines).where(eq(pipelines.id, lineage.pipelineId))
  // any other step of the run may have written an input (split.train, transform.dataset)
  const runSteps = run ? (await db.select({ nodeId: steps.nodeId, outputs: steps.outputs }).from(steps).where(eq(steps.runId, lineage.runId))).filter((s) => s.nodeId !== lineage.nodeId) : []
  return {
    runId: lineage.runId,
    run: run ?? null,
    pipeline: pipeline ?? null,
    pipelineVersion: lineage.pipelineVersion,
    nodeId: lineage.nodeId,
    inputs: lineage.inputArtifactIds.map((artifactId) => ({ artifactId, producer: producerOf(runSteps, artifactId) })),
  }
}

function producerOf(runSteps: { nodeId: string; outputs: Record<string, string> | null }[], artifactId: string): LineageInput['producer'] {
  for (const step of runSteps) {
    const port = Object.entries(step.outputs ?? {}).find(([, id]) => id === artifactId)?.[0]
    if (port) return { nodeId: step.nodeId, port }
  }
  return null
}

/** The registered versions whose bytes are this artifact (a step's model output), so its page can link their cards. */
export async function versionsOfArtifact(db: Db, artifactId: string): Promise<{ name: string; version: number }[]> {
  return db
    .select({ name: models.name, version: modelVersions.version })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(eq(modelVersions.artifactId, artifactId))
    .orderBy(models.name, modelVersions.version)
}
