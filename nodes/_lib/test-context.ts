// Test harness: a real StepContext over a temporary folder, so tests run executors for real.
//
//   const t = await createTestContext(validate, { rules: [...] }, { inputs: { dataset: '/tmp/x.parquet' } })
//   await run(t.ctx)
//   t.outputs.clean      // path of the Parquet file the step wrote
//   t.reports.report     // the JSON report it stored
//   t.files.archive      // { path, mediaType } of a file (or model) port
//   t.models.model       // the metadata a model() call published with its file
//   t.blobs              // id → { path, mediaType } of every blob (image) it kept
//   await t.cleanup()
//
// The context comes from the same builder the workers use (context-builder.ts). Blobs kept by
// one test context can be read by the next one in the same process (camera → augment), until
// the first is cleaned up.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { z } from 'zod'
import type { AliasMove, CurvePoint, HandoffRequest, HandoffTicket, InputArtifact, LogLevel, ModelRegistryView, NodeDefinition, OutboundPolicy, Ports, StepContext } from '../contract'
import { readModelMetadata } from './models/embedded-metadata'
import { buildStepContext, typedContext } from './context-builder'
import type { ModelMetadata } from './models/metadata'
import type { PendingBlob, PendingOutput, PendingOutputs } from './pending-outputs'
import { quoteLiteral, withDuckDB, type JsonRow } from './duckdb'
import { describeParquet } from './parquet'

export interface TestContextOptions<I extends Ports> {
  /** input port → a local file (copied into the temp folder) */
  inputs?: { [P in keyof I]?: string }
  /** artifact id → a local file that resolveArtifact hands out, with its original file name */
  artifacts?: Record<string, { path: string; filename?: string | null }>
  /** defaults to the real nodes/ingest/samples */
  samplesDir?: string
  /** defaults to what a fresh installation allows: no loopback, private or metadata address */
  outbound?: OutboundPolicy
  /** defaults to an empty registry */
  registry?: ModelRegistryView
}

/** A registry with no model in it. */
export const emptyRegistry: ModelRegistryView = {
  versionOf: async () => null,
  aliasTarget: async () => null,
}

export interface TestRun<C, I extends Ports, O extends Ports, Opt extends string = never> {
  ctx: StepContext<C, I, O, Opt>
  root: string
  /** output port → the path datasetPath handed out (datasets) */
  outputs: Partial<Record<keyof O & string, string>>
  /** output port → the value report() stored (JSON round-tripped, as the store would keep it) */
  reports: Partial<Record<keyof O & string, unknown>>
  /** output port → the file a file() or model() call published */
  files: Partial<Record<keyof O & string, { path: string; mediaType: string }>>
  /** output port → the metadata a model() call published with the file */
  models: Partial<Record<keyof O & string, ModelMetadata>>
  /** blob id → what blob() kept */
  blobs: ReadonlyMap<string, PendingBlob>
  /** what outputs.moveAlias asked for, in order */
  aliasMoves: readonly AliasMove[]
  /** the handoffs the executor opened, with the tickets it was given */
  handoffs: { request: HandoffRequest; ticket: HandoffTicket }[]
  logs: { level: LogLevel; message: string }[]
  progress: { fraction: number; message?: string }[]
  /** the step's live chart as the runner would keep it */
  curve: readonly CurvePoint[]
  controller: AbortController
  /** register a file that resolveArtifact(id) will return; gives its sha256 id */
  addArtifact(path: string, filename?: string | null): Promise<string>
  cleanup(): Promise<void>
}

export const defaultSamplesDir = join(import.meta.dirname, '..', 'ingest', 'samples')

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Builds a StepContext for `definition`, parsing `config` through its zod schema (so defaults apply). */
export async function createTestContext<K extends string, C extends z.ZodType, I extends Ports, O extends Ports, Opt extends string>(
  definition: NodeDefinition<K, C, I, O, Opt>,
  config: z.input<C>,
  options: TestContextOptions<I> = {},
): Promise<TestRun<z.output<C>, I, O, Opt>> {
  const root = await mkdtemp(join(tmpdir(), `pipewright-${definition.kind}-`))
  const inDir = join(root, 'in')
  await mkdir(inDir)

  const artifacts = new Map<string, InputArtifact>()
  const toArtifact = async (path: string, filename: string | null, kind: InputArtifact['kind']): Promise<InputArtifact> => {
    const id = await sha256File(path)
    const described = kind === 'dataset' ? await describeParquet(path) : null
    const model = kind === 'model' ? (readModelMetadata(await readFile(path)) ?? null) : undefined
    return { id, kind, path, filename, rowCount: described?.rowCount ?? null, schema: described?.schema ?? null, ...(model !== undefined ? { model } : {}) }
  }

  const inputs: Record<string, InputArtifact> = {}
  for (const [port, type] of Object.entries(definition.ports.in)) {
    const source = options.inputs?.[port as keyof I]
    if (!source) continue
    const copy = join(inDir, `${port}-${basename(source)}`)
    await copyFile(source, copy)
    inputs[port] = await toArtifact(copy, basename(source), type === 'dataset' || type === 'model' ? type : 'file')
  }
  for (const [id, file] of Object.entries(options.artifacts ?? {})) {
    const artifact = await toArtifact(file.path, file.filename === undefined ? basename(file.path) : file.filename, 'file')
    artifacts.set(id, { ...artifact, id })
  }

  const logs: TestRun<unknown, I, O>['logs'] = []
  const progress: TestRun<unknown, I, O>['progress'] = []
  const curve: CurvePoint[] = []
  const controller = new AbortController()
  const handoffs: TestRun<unknown, I, O>['handoffs'] = []

  const built = buildStepContext(
    {
      scratchDir: root,
      samplesDir: options.samplesDir ?? defaultSamplesDir,
      outbound: options.outbound ?? { allow: [] },
      signal: controller.signal,
      async resolveArtifact(id) {
        const artifact = artifacts.get(id)
        if (!artifact) throw new Error(`no artifact ${id}`)
        return artifact
      },
      readBlob: readTestBlob,
      registry: options.registry ?? emptyRegistry,
      async openHandoff(request) {
        const id = `handoff-${handoffs.length + 1}`
        const ticket = { id, token: 'pw_handoff_test', bundleUrl: `http://127.0.0.1/api/v1/handoffs/${id}`, callbackUrl: `http://127.0.0.1/api/v1/handoffs/${id}/model`, expiresAt: new Date(Date.now() + request.timeoutMs).toISOString() }
        handoffs.push({ request, ticket })
        return { ticket }
      },
      log: (level, message) => void logs.push({ level, message }),
      onProgress: (fraction, message) => void progress.push({ fraction, message }),
      onCurve: (points) => void curve.splice(0, curve.length, ...points),
    },
    config,
    inputs,
  )
  const { pending } = built
  liveContexts.add(pending)
  const ctx = typedContext(definition, {
    ...built.context,
    progress(fraction, message) {
      if (!(fraction >= 0 && fraction <= 1)) throw new Error(`progress out of range: ${fraction}`)
      built.context.progress(fraction, message)
    },
  })

  return {
    ctx,
    root,
    outputs: portView(pending, (kept) => (kept.type === 'dataset' ? kept.path : undefined)) as TestRun<z.output<C>, I, O, Opt>['outputs'],
    reports: portView(pending, (kept) => (kept.type === 'report' || kept.type === 'deployment' ? kept.value : undefined)) as TestRun<z.output<C>, I, O, Opt>['reports'],
    files: portView(pending, (kept) =>
      kept.type === 'file' ? { path: kept.path, mediaType: kept.mediaType } : kept.type === 'model' ? { path: kept.path, mediaType: 'application/onnx' } : undefined,
    ) as TestRun<z.output<C>, I, O, Opt>['files'],
    models: portView(pending, (kept) => (kept.type === 'model' ? kept.metadata : undefined)) as TestRun<z.output<C>, I, O, Opt>['models'],
    blobs: pending.blobs,
    aliasMoves: pending.aliasMoves,
    handoffs,
    logs,
    progress,
    curve,
    controller,
    async addArtifact(path, filename) {
      const artifact = await toArtifact(path, filename === undefined ? basename(path) : filename, 'file')
      artifacts.set(artifact.id, artifact)
      return artifact.id
    },
    async cleanup() {
      liveContexts.delete(pending)
      await rm(root, { recursive: true, force: true })
    },
  }
}

/** Every test context not yet cleaned up: their blobs are what a next step may read. */
const liveContexts = new Set<PendingOutputs>()

async function readTestBlob(id: string): Promise<Buffer> {
  for (const pending of liveContexts) {
    const blob = pending.blobs.get(id)
    if (blob) return readFile(blob.path)
  }
  throw new Error(`no blob ${id} in any live test context`)
}

/** A live view, by port, of what the executor has written so far. */
function portView<T>(pending: PendingOutputs, pick: (kept: PendingOutput) => T | undefined) {
  return new Proxy({} as Record<string, T | undefined>, {
    get: (_target, port) => {
      const kept = typeof port === 'string' ? pending.byPort.get(port) : undefined
      return kept ? pick(kept) : undefined
    },
    has: (_target, port) => typeof port === 'string' && pending.byPort.has(port),
    ownKeys: () => [...pending.byPort.keys()],
    getOwnPropertyDescriptor: (_target, port) =>
      typeof port === 'string' && pending.byPort.has(port) ? { enumerable: true, configurable: true } : undefined,
  })
}

/** Writes the result of a DuckDB SELECT to a Parquet file (a test fixture). */
export async function writeParquet(path: string, select: string): Promise<string> {
  await withDuckDB((db) => db.exec(`COPY (${select}) TO ${quoteLiteral(path)} (FORMAT parquet)`))
  return path
}

/** Every row of a Parquet file as JSON-safe objects (fine for test-sized files). */
export async function readParquet(path: string): Promise<JsonRow[]> {
  return withDuckDB((db) => db.rows(`SELECT * FROM read_parquet(${quoteLiteral(path)})`))
}
