// The model registry: named models, their numbered versions (each a record pointing at a model
// artifact), and aliases (`champion`, `challenger`, any slug) that point at one version. A version's
// file, metadata and lineage never change; aliases move and its description and tags are edited
// (version-notes.ts), each change recorded in the audit log by its REST route.
import { and, desc, eq, max } from 'drizzle-orm'
import type { Db } from '@/db'
import { artifacts, modelAliases, models, modelVersions, type ModelLineage } from '@/db/schema'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { slugName } from '@/server/compiler/pipeline-file'
import { NotFoundError } from '@/server/errors'
import { recordArtifact } from '@/server/artifacts/metadata'
import type { ArtifactStore } from '@/server/artifacts/store'
import { metadataForImport, type ImportOptions } from './import-metadata'
import { inspectOnnx } from './inspect'
import { findModelMetadata } from './metadata-store'

export interface ModelVersionInput {
  name: string
  artifactId: string
  metadata: ModelMetadata
  description?: string | null
  tags?: string[]
  lineage?: ModelLineage | null
  actorId?: string | null
}

export interface ModelVersion {
  name: string
  version: number
  artifactId: string
  sizeBytes: number
  metadata: ModelMetadata
  description: string | null
  tags: string[]
  lineage: ModelLineage | null
  aliases: string[]
  createdBy: string | null
  createdAt: Date
}

/** Adds version N+1 of `name` (creating the model at its first version) pointing at a stored model artifact. */
export async function registerModelVersion(db: Db, input: ModelVersionInput): Promise<{ name: string; version: number }> {
  const name = slugName.parse(input.name)
  return db.transaction(async (tx) => {
    await tx.insert(models).values({ name, createdBy: input.actorId ?? null }).onConflictDoNothing({ target: models.name })
    // the model row's lock serialises numbering: two imports at once get N+1 and N+2
    const [model] = await tx.select().from(models).where(eq(models.name, name)).for('update')
    const [{ latest } = { latest: 0 }] = await tx.select({ latest: max(modelVersions.version) }).from(modelVersions).where(eq(modelVersions.modelId, model!.id))
    const version = (latest ?? 0) + 1
    await tx.insert(modelVersions).values({
      modelId: model!.id,
      version,
      artifactId: input.artifactId,
      metadata: input.metadata,
      description: input.description ?? null,
      tags: input.tags ?? [],
      lineage: input.lineage ?? null,
      createdBy: input.actorId ?? null,
    })
    return { name, version }
  })
}

/** Registers a model a step published, with the metadata it was published with. */
export async function registerPublishedModel(db: Db, input: Omit<ModelVersionInput, 'metadata'>): Promise<{ name: string; version: number }> {
  const metadata = await findModelMetadata(db, input.artifactId)
  if (!metadata) throw new NotFoundError(`No model artifact with id ${input.artifactId}.`)
  return registerModelVersion(db, { ...input, metadata })
}

/** Inspects an ONNX file (refusing a bad one before anything is stored), stores it and registers it as the next version, with the metadata it carries when Pipewright made it. */
export async function importModelVersion(
  deps: { db: Db; store: ArtifactStore },
  input: { name: string; bytes: Uint8Array; actorId?: string | null; filename?: string } & ImportOptions,
): Promise<{ name: string; version: number; artifactId: string }> {
  const name = slugName.parse(input.name)
  const inspected = await inspectOnnx(input.bytes)
  const metadata = await metadataForImport(input.bytes, inspected, input)
  const blob = await deps.store.putBytes(input.bytes)
  await recordArtifact(deps.db, {
    id: blob.id,
    kind: 'model',
    sizeBytes: blob.sizeBytes,
    mediaType: 'application/onnx',
    filename: input.filename ?? `${name}.onnx`,
    createdBy: input.actorId ?? null,
  })
  const registered = await registerModelVersion(deps.db, { name, artifactId: blob.id, metadata, actorId: input.actorId })
  return { ...registered, artifactId: blob.id }
}

async function findModel(db: Db, name: string) {
  const [model] = await db.select().from(models).where(eq(models.name, name))
  if (!model) throw new NotFoundError(`No model named "${name}".`)
  return model
}

async function aliasesOf(db: Db, modelId: string): Promise<{ alias: string; version: number }[]> {
  return db.select({ alias: modelAliases.alias, version: modelAliases.version }).from(modelAliases).where(eq(modelAliases.modelId, modelId)).orderBy(modelAliases.alias)
}

export async function getModelVersion(db: Db, name: string, version: number): Promise<ModelVersion> {
  const model = await findModel(db, name)
  const [row] = await db
    .select({ version: modelVersions, sizeBytes: artifacts.sizeBytes })
    .from(modelVersions)
    .innerJoin(artifacts, eq(artifacts.id, modelVersions.artifactId))
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, version)))
  if (!row) throw new NotFoundError(`Model "${name}" has no version ${version}.`)
  const aliases = (await aliasesOf(db, model.id)).filter((a) => a.version === version).map((a) => a.alias)
  const { version: v } = row
  return {
    name,
    version: v.version,
    artifactId: v.artifactId,
    sizeBytes: row.sizeBytes,
    metadata: v.metadata,
    description: v.description,
    tags: v.tags,
    lineage: v.lineage,
    aliases,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
  }
}

export interface ModelSummary {
  name: string
  latestVersion: number
  aliases: Record<string, number>
  createdAt: Date
}

/** Every model by name, with its latest version number and where its aliases point. */
export async function listModels(db: Db): Promise<ModelSummary[]> {
  const rows = await db
    .select({ id: models.id, name: models.name, createdAt: models.createdAt, latest: max(modelVersions.version) })
    .from(models)
    .innerJoin(modelVersions, eq(modelVersions.modelId, models.id))
    .groupBy(models.id)
    .orderBy(models.name)
  const aliases = await db.select().from(modelAliases)
  return rows.map((row) => ({
    name: row.name,
    latestVersion: row.latest ?? 0,
    aliases: Object.fromEntries(aliases.filter((a) => a.modelId === row.id).map((a) => [a.alias, a.version])),
    createdAt: row.createdAt,
  }))
}

/** One model's versions, newest first, with their aliases. */
export async function listModelVersions(db: Db, name: string) {
  const model = await findModel(db, name)
  const versions = await db
    .select({ version: modelVersions.version, artifactId: modelVersions.artifactId, metadata: modelVersions.metadata, createdAt: modelVersions.createdAt, lineage: modelVersions.lineage })
    .from(modelVersions)
    .where(eq(modelVersions.modelId, model.id))
    .orderBy(desc(modelVersions.version))
  const aliases = await aliasesOf(db, model.id)
  return {
    name,
    aliases: Object.fromEntries(aliases.map((a) => [a.alias, a.version])),
    versions: versions.map((v) => ({
      version: v.version,
      artifactId: v.artifactId,
      task: v.metadata.task,
      algorithm: v.metadata.algorithm,
      imported: v.lineage === null,
      aliases: aliases.filter((a) => a.version === v.version).map((a) => a.alias),
      createdAt: v.createdAt,
    })),
  }
}

/** Points `alias` at `version`; gives where it pointed before (null for a new alias), for the audit log. */
export async function moveAlias(db: Db, input: { name: string; alias: string; version: number; actorId?: string | null }): Promise<{ from: number | null; to: number }> {
  const alias = slugName.parse(input.alias)
  const model = await findModel(db, input.name)
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({ version: modelVersions.version })
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.version)))
    if (!target) throw new NotFoundError(`Model "${input.name}" has no version ${input.version}; alias "${alias}" was not moved.`)
    const [before] = await tx.select().from(modelAliases).where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, alias))).for('update')
    const row = { modelId: model.id, alias, version: input.version, updatedBy: input.actorId ?? null, updatedAt: new Date() }
    await tx.insert(modelAliases).values(row).onConflictDoUpdate({ target: [modelAliases.modelId, modelAliases.alias], set: row })
    return { from: before?.version ?? null, to: input.version }
  })
}

/** The version an alias points at. */
export async function resolveAlias(db: Db, name: string, alias: string): Promise<number> {
  const model = await findModel(db, name)
  const [row] = await db.select().from(modelAliases).where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, alias)))
  if (!row) throw new NotFoundError(`Model "${name}" has no alias "${alias}".`)
  return row.version
}
