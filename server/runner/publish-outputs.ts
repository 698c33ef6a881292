import fs from 'node:fs'
import type { Db } from '@/db'
import { eq } from 'drizzle-orm'
import { artifacts, runs, type StepOutputs } from '@/db/schema'
import { StepError, type PortType } from '@/nodes/contract'
import { describeParquet } from '@/nodes/_lib/parquet'
import type { NewArtifact } from '@/server/artifacts/metadata'
import { recordArtifact } from '@/server/artifacts/metadata'
import type { ArtifactStore } from '@/server/artifacts/store'
import { logger } from '@/server/logger'
import { recordModelMetadata } from '@/server/models/metadata-store'
import { applyRunAliasMoves } from '@/server/models/run-alias-moves'
import { NotFoundError } from '@/server/errors'
import { registerModelVersion } from '@/server/models/registry'
import { ModelRefusedError, verifyModel } from '@/server/models/signature'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import type { DeploymentReference } from '@/nodes/deploy/request'
import type { ChangedBy } from '@/server/deployments/deployments'
import { deployFromStep } from '@/server/deployments/deploy-step'
import type { PendingOf, PendingOutput, PendingOutputs } from '@/nodes/_lib/pending-outputs'

interface PublishDeps {
  db: Db
  store: ArtifactStore
}

/** Which step published an output: a registered model's lineage points back at it. */
export interface PublishingStep {
  kind: string
  nodeId: string
  /** set by the runner; the publisher's own tests leave them out (nothing to register then) */
  runId?: string
  inputArtifactIds?: string[]
  /** who a change the outputs make (a deployment) is recorded as: an approver; else `run <runId>` */
  changedBy?: ChangedBy
}

interface PublishTarget extends PublishingStep {
  port: string
}

/** Moves one kept output into the store and records it; gives the artifact id. */
type Publisher<T extends PortType> = (deps: PublishDeps, target: PublishTarget, pending: PendingOf<T>) => Promise<string>

/** One publisher per port type: a port type without one is a compile error here. */
const publishers: { [T in PortType]: Publisher<T> } = {
  async dataset(deps, target, pending) {
    if (!fs.existsSync(pending.path)) throw new Error(`The ${target.kind} executor wrote no "${target.port}" dataset.`)
    const { rowCount, schema } = await describeParquet(pending.path)
    return storeFile(deps, pending.path, {
      kind: 'dataset',
      mediaType: 'application/vnd.apache.parquet',
      filename: `${target.nodeId}.${target.port}.parquet`,
      rowCount,
      schema,
    })
  },
  report: (deps, target, pending) => storeJson(deps, pending.value, 'report', `${target.nodeId}.${target.port}.json`),
  async deployment(deps, target, pending) {
    const reference = await deployWithRun(deps, target, pending.value)
    return storeJson(deps, reference, 'report', `${target.nodeId}.${target.port}.deployment.json`)
  },
  file: (deps, target, pending) =>
    storeFile(deps, pending.path, { kind: 'file', mediaType: pending.mediaType, filename: `${target.nodeId}.${target.port}` }),
  async model(deps, target, pending) {
    await checkModel(target, pending)
    const id = await storeFile(deps, pending.path, { kind: 'model', mediaType: 'application/onnx', filename: `${target.nodeId}.${target.port}.onnx` })
    await recordModelMetadata(deps.db, id, pending.metadata)
    if (pending.registerAs) await registerWithLineage(deps, target, id, pending.registerAs, pending.metadata)
    return id
  },
}

/** A model that does not load, or does not match what the executor claims, fails the step: serving would fail later and worse. */
async function checkModel(target: PublishTarget, pending: PendingOf<'model'>): Promise<void> {
  if (!fs.existsSync(pending.path)) throw new StepError(`The ${target.kind} executor wrote no "${target.port}" model.`)
  try {
    await verifyModel(await fs.promises.readFile(pending.path), pending.metadata)
  } catch (error) {
    if (error instanceof ModelRefusedError) throw new StepError(`The "${target.port}" model of the ${target.kind} step was refused. ${error.message}`)
    throw error
  }
}

async function registerWithLineage(deps: PublishDeps, target: PublishTarget, artifactId: string, name: string, metadata: ModelMetadata): Promise<void> {
  if (!target.runId) throw new Error(`The "${target.port}" model asks to be registered as "${name}", but no run published it.`)
  const [run] = await deps.db.select({ pipelineId: runs.pipelineId, version: runs.version, createdBy: runs.createdBy }).from(runs).where(eq(runs.id, target.runId))
  if (!run) throw new Error(`Run ${target.runId} is gone.`)
  const registered = await registerModelVersion(deps.db, {
    name,
    artifactId,
    metadata,
    actorId: run.createdBy,
    lineage: {
      runId: target.runId,
      pipelineId: run.pipelineId,
      pipelineVersion: run.version,
      nodeId: target.nodeId,
      inputArtifactIds: target.inputArtifactIds ?? [],
      params: metadata.params ?? {},
      metrics: metadata.metrics ?? {},
    },
  })
  logger.info({ model: registered.name, version: registered.version, runId: target.runId }, 'model registered')
}

/** The deploy step's change, made now that the step succeeds: as the approver, or as the run. */
async function deployWithRun(deps: PublishDeps, target: PublishTarget, value: unknown): Promise<DeploymentReference> {
  if (!target.runId) throw new Error(`The "${target.port}" deployment of the ${target.kind} step was published outside a run.`)
  const [run] = await deps.db.select({ pipelineId: runs.pipelineId, createdBy: runs.createdBy }).from(runs).where(eq(runs.id, target.runId))
  if (!run) throw new Error(`Run ${target.runId} is gone.`)
  const by = target.changedBy ?? { actorId: run.createdBy, label: `run ${target.runId}` }
  return deployFromStep(deps.db, value, { runId: target.runId, pipelineId: run.pipelineId, by })
}

/** Each kept output goes to its own type's publisher; the switch narrows it, so no cast is needed. */
function publishOne(deps: PublishDeps, target: PublishTarget, kept: PendingOutput): Promise<string> {
  switch (kept.type) {
    case 'dataset':
      return publishers.dataset(deps, target, kept)
    case 'report':
      return publishers.report(deps, target, kept)
    case 'file':
      return publishers.file(deps, target, kept)
    case 'model':
      return publishers.model(deps, target, kept)
    case 'deployment':
      return publishers.deployment(deps, target, kept)
  }
}

/**
 * Hash every declared output (and the blobs its rows refer to) into the store and record it;
 * only now do the step's outputs become visible. Blobs go first, so a dataset never names a
 * blob the store lacks.
 */
export async function publishOutputs(
  deps: PublishDeps,
  step: PublishingStep,
  declared: Readonly<Record<string, PortType>>,
  pending: PendingOutputs,
): Promise<StepOutputs> {
  await publishBlobs(deps, pending)
  const outputs: StepOutputs = {}
  for (const [port, type] of Object.entries(declared)) {
    const kept = pending.byPort.get(port)
    if (!kept || kept.type !== type) throw new Error(`The ${step.kind} executor wrote no "${port}" ${type}.`)
    outputs[port] = await publishOne(deps, { ...step, port }, kept)
  }
  if (pending.aliasMoves.length > 0) {
    if (!step.runId) throw new Error(`The ${step.kind} step asks to move an alias, but no run published it.`)
    await applyRunAliasMoves(deps.db, step.runId, pending.aliasMoves).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new StepError(`The alias could not be moved: ${error.message}`) : error
    })
  }
  return outputs
}

/** Thousands of images are one insert per 500, not one per image. */
async function publishBlobs(deps: PublishDeps, pending: PendingOutputs): Promise<void> {
  const rows: NewArtifact[] = []
  for (const [id, blob] of pending.blobs) {
    await deps.store.putFile(blob.path)
    rows.push({ id, kind: 'file', sizeBytes: blob.sizeBytes, mediaType: blob.mediaType, filename: null })
  }
  for (let i = 0; i < rows.length; i += 500) {
    await deps.db.insert(artifacts).values(rows.slice(i, i + 500)).onConflictDoNothing()
  }
}

async function storeFile(deps: PublishDeps, file: string, meta: Omit<NewArtifact, 'id' | 'sizeBytes'>): Promise<string> {
  const blob = await deps.store.putFile(file)
  await recordArtifact(deps.db, { ...meta, id: blob.id, sizeBytes: blob.sizeBytes })
  return blob.id
}

async function storeJson(deps: PublishDeps, value: unknown, kind: 'report', filename: string): Promise<string> {
  const blob = await deps.store.putBytes(JSON.stringify(value))
  await recordArtifact(deps.db, { id: blob.id, kind, sizeBytes: blob.sizeBytes, mediaType: 'application/json', filename })
  return blob.id
}
