// Test harness: a real StepContext over a temporary folder, so tests run executors for real.
//
//   const t = await createTestContext(validate, { rules: [...] }, { inputs: { dataset: '/tmp/x.parquet' } })
//   await run(t.ctx)
//   t.outputs.clean      // path of the Parquet file the step wrote
//   t.reports.report     // the JSON report it stored
//   await t.cleanup()
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { z } from 'zod'
import type { InputArtifact, LogLevel, NodeDefinition, OutboundPolicy, Ports, StepContext } from '../contract'
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
}

export interface TestRun<C, I extends Ports, O extends Ports> {
  ctx: StepContext<C, I, O>
  root: string
  /** output port → the path datasetPath handed out (datasets) */
  outputs: Partial<Record<keyof O & string, string>>
  /** output port → the value report() stored (JSON round-tripped, as the store would keep it) */
  reports: Partial<Record<keyof O & string, unknown>>
  logs: { level: LogLevel; message: string }[]
  progress: { fraction: number; message?: string }[]
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
export async function createTestContext<K extends string, C extends z.ZodType, I extends Ports, O extends Ports>(
  definition: NodeDefinition<K, C, I, O>,
  config: z.input<C>,
  options: TestContextOptions<I> = {},
): Promise<TestRun<z.output<C>, I, O>> {
  const root = await mkdtemp(join(tmpdir(), `pipewright-${definition.kind}-`))
  const workDir = join(root, 'work')
  const outDir = join(root, 'out')
  const inDir = join(root, 'in')
  await Promise.all([mkdir(workDir), mkdir(outDir), mkdir(inDir)])

  const artifacts = new Map<string, InputArtifact>()
  const toArtifact = async (path: string, filename: string | null, kind: InputArtifact['kind']): Promise<InputArtifact> => {
    const id = await sha256File(path)
    const described = kind === 'dataset' ? await describeParquet(path) : null
    return { id, kind, path, filename, rowCount: described?.rowCount ?? null, schema: described?.schema ?? null }
  }

  const inputs = {} as { [P in keyof I]: InputArtifact }
  for (const [port, type] of Object.entries(definition.ports.in)) {
    const source = options.inputs?.[port as keyof I]
    if (!source) continue
    const copy = join(inDir, `${port}-${basename(source)}`)
    await copyFile(source, copy)
    inputs[port as keyof I] = await toArtifact(copy, basename(source), type === 'dataset' ? 'dataset' : 'file')
  }
  for (const [id, file] of Object.entries(options.artifacts ?? {})) {
    const artifact = await toArtifact(file.path, file.filename === undefined ? basename(file.path) : file.filename, 'file')
    artifacts.set(id, { ...artifact, id })
  }

  const outputs: Partial<Record<string, string>> = {}
  const reports: Partial<Record<string, unknown>> = {}
  const logs: TestRun<unknown, I, O>['logs'] = []
  const progress: TestRun<unknown, I, O>['progress'] = []
  const controller = new AbortController()

  const ctx: StepContext<z.output<C>, I, O> = {
    config: definition.config.parse(config) as z.output<C>,
    inputs,
    outputs: {
      datasetPath(port) {
        const path = join(outDir, `${port}.parquet`)
        outputs[port] = path
        return path
      },
      async report(port, value) {
        reports[port] = JSON.parse(JSON.stringify(value)) as unknown
      },
    },
    log: (level, message) => void logs.push({ level, message }),
    progress: (fraction, message) => {
      if (!(fraction >= 0 && fraction <= 1)) throw new Error(`progress out of range: ${fraction}`)
      progress.push({ fraction, message })
    },
    signal: controller.signal,
    async resolveArtifact(id) {
      const artifact = artifacts.get(id)
      if (!artifact) throw new Error(`no artifact ${id}`)
      return artifact
    },
    workDir,
    samplesDir: options.samplesDir ?? defaultSamplesDir,
    outbound: options.outbound ?? { allow: [] },
  }

  return {
    ctx,
    root,
    outputs: outputs as TestRun<z.output<C>, I, O>['outputs'],
    reports: reports as TestRun<z.output<C>, I, O>['reports'],
    logs,
    progress,
    controller,
    async addArtifact(path, filename) {
      const artifact = await toArtifact(path, filename === undefined ? basename(path) : filename, 'file')
      artifacts.set(artifact.id, artifact)
      return artifact.id
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  }
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
