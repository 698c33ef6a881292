import { z } from 'zod'

/** What flows along an edge. The compiler refuses an edge whose ends disagree. */
export const portTypes = ['dataset', 'model', 'report', 'deployment'] as const
export type PortType = (typeof portTypes)[number]
export type Ports = Record<string, PortType>

export const nodeCategories = ['data', 'model', 'deploy', 'monitor'] as const
export type NodeCategory = (typeof nodeCategories)[number]

export interface NodeUi {
  title: string
  category: NodeCategory
  /** a lucide icon name */
  icon: string
  /** extra words the palette search matches */
  aliases: string[]
  description: string
}

export interface RetryPolicy {
  /** total tries, the first one included */
  attempts: number
  /** delay before the second try; doubles on each further try */
  backoffMs: number
}

export interface NodeDefinition<
  K extends string = string,
  C extends z.ZodType = z.ZodType,
  I extends Ports = Ports,
  O extends Ports = Ports,
> {
  kind: K
  /** bump when the config or behaviour changes; part of every cache key */
  version: number
  ports: { in: I; out: O }
  config: C
  ui: NodeUi
  retry: RetryPolicy
}

export function defineNode<K extends string, C extends z.ZodType, I extends Ports, O extends Ports>(
  definition: NodeDefinition<K, C, I, O>,
): NodeDefinition<K, C, I, O> {
  return definition
}

/** An artifact handed to an executor: immutable, content-addressed, on local disk. */
export interface InputArtifact {
  id: string
  kind: ArtifactKind
  /** a local file path the executor may read (never write) */
  path: string
  filename: string | null
  rowCount: number | null
  schema: DatasetColumn[] | null
}

export const artifactKinds = ['dataset', 'report', 'file', 'model'] as const
export type ArtifactKind = (typeof artifactKinds)[number]

export interface DatasetColumn {
  name: string
  /** DuckDB's type name, e.g. BIGINT, DOUBLE, VARCHAR */
  type: string
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/**
 * Where an executor writes its outputs. Files go to a private scratch folder; the runner
 * hashes them into the artifact store only when the step succeeds, so a crash mid-step
 * leaves nothing half-written behind.
 */
export interface OutputWriter<O extends Ports> {
  /** a fresh path for a Parquet dataset; write the file there */
  datasetPath(port: DatasetPorts<O>): string
  /** store a JSON report */
  report(port: ReportPorts<O>, value: unknown): Promise<void>
}

type PortsOfType<P extends Ports, T extends PortType> = { [K in keyof P]: P[K] extends T ? K : never }[keyof P] & string
export type DatasetPorts<O extends Ports> = PortsOfType<O, 'dataset'>
export type ReportPorts<O extends Ports> = PortsOfType<O, 'report'>

/**
 * Which addresses an executor's outbound requests may reach besides the public internet.
 * Loopback, private, link-local and metadata addresses are refused unless listed here; an
 * administrator sets it (PIPEWRIGHT_OUTBOUND_ALLOW), never a pipeline.
 */
export interface OutboundPolicy {
  /** CIDR ranges allowed although a rule would refuse them, e.g. `127.0.0.0/8`, `::1/128` */
  allow: readonly string[]
}

/** Everything an executor may touch. Executors never import db/ or tRPC. */
export interface StepContext<C, I extends Ports, O extends Ports> {
  config: C
  inputs: { [P in keyof I]: InputArtifact }
  outputs: OutputWriter<O>
  log(level: LogLevel, message: string): void
  /** fraction in [0, 1] */
  progress(fraction: number, message?: string): void
  /** aborted when the run is canceled */
  signal: AbortSignal
  /** a file uploaded earlier, by its artifact id (sha256) */
  resolveArtifact(id: string): Promise<InputArtifact>
  /** a scratch folder for this attempt, removed afterwards */
  workDir: string
  /** where shipped sample data sets live */
  samplesDir: string
  /** where outbound requests (a URL source) may go */
  outbound: OutboundPolicy
}

export type Executor<D> =
  D extends NodeDefinition<string, infer C, infer I, infer O>
    ? (ctx: StepContext<z.output<C>, I, O>) => Promise<void>
    : never

/**
 * An error whose message is meant for the user as it is: no stack trace is shown. Not retried,
 * unless `retryable` says that trying again may help (a network hiccup, a server's 503).
 */
export class StepError extends Error {
  override name = 'StepError'
  readonly retryable: boolean
  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.retryable = options.retryable ?? false
  }
}
