import fs from 'node:fs'
import path from 'node:path'
import type { Db } from '@/db'
import type { InputArtifact, OutboundPolicy, OutputWriter, Ports, StepContext } from '@/nodes/contract'
import { findArtifact } from '@/server/artifacts/metadata'
import { isArtifactId, type LocalArtifactStore } from '@/server/artifacts/store'
import { StepError } from '@/nodes/contract'
import type { StepLogger } from './step-logger'

/** What an executor wrote, kept aside until the step succeeds. */
export interface PendingOutputs {
  datasets: Map<string, string>
  reports: Map<string, unknown>
}

export interface ContextDeps {
  db: Db
  store: LocalArtifactStore
  samplesDir: string
  /** what the administrator allows outbound requests to reach (PIPEWRIGHT_OUTBOUND_ALLOW) */
  outbound: OutboundPolicy
  scratchDir: string
  logger: StepLogger
  signal: AbortSignal
  onProgress(fraction: number, message?: string): void
}

export async function resolveInput(db: Db, store: LocalArtifactStore, id: string): Promise<InputArtifact> {
  if (!isArtifactId(id)) throw new StepError(`"${id}" is not an artifact id (a sha256 in hex).`)
  const row = await findArtifact(db, id)
  if (!row || !store.has(id)) throw new StepError(`Artifact ${id} does not exist. Upload the file again.`)
  return { id, kind: row.kind, path: store.pathOf(id), filename: row.filename, rowCount: row.rowCount, schema: row.schema }
}

export function buildStepContext(
  deps: ContextDeps,
  config: unknown,
  inputs: Record<string, InputArtifact>,
): { context: StepContext<unknown, Ports, Ports>; pending: PendingOutputs } {
  const outputsDir = path.join(deps.scratchDir, 'outputs')
  const workDir = path.join(deps.scratchDir, 'work')
  fs.mkdirSync(outputsDir, { recursive: true })
  fs.mkdirSync(workDir, { recursive: true })
  const pending: PendingOutputs = { datasets: new Map(), reports: new Map() }
  const outputs: OutputWriter<Ports> = {
    datasetPath(port) {
      const file = path.join(outputsDir, `${port}.parquet`)
      pending.datasets.set(port, file)
      return file
    },
    async report(port, value) {
      pending.reports.set(port, value)
    },
  }
  const context: StepContext<unknown, Ports, Ports> = {
    config,
    inputs,
    outputs,
    log: (level, message) => deps.logger.log(level, message),
    progress: (fraction, message) => deps.onProgress(Math.min(1, Math.max(0, fraction)), message),
    signal: deps.signal,
    resolveArtifact: (id) => resolveInput(deps.db, deps.store, id),
    workDir,
    samplesDir: deps.samplesDir,
    outbound: deps.outbound,
  }
  return { context, pending }
}
