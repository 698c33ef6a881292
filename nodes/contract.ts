import type { z } from 'zod'
import type { NodeIconName } from './icons'
import type { ModelMetadata } from './_lib/models/metadata'

/** What flows along an edge. The compiler refuses an edge whose ends disagree. */
export const portTypes = ['dataset', 'model', 'report', 'file', 'deployment'] as const
export type PortType = (typeof portTypes)[number]
export type Ports = Record<string, PortType>

export const nodeCategories = ['data', 'model', 'deploy', 'monitor'] as const
export type NodeCategory = (typeof nodeCategories)[number]

export interface NodeUi {
  title: string
  category: NodeCategory
  /** one of the icons in nodes/icons.tsx */
  icon: NodeIconName
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
  Opt extends string = string,
> {
  kind: K
  /** bump when the config or behaviour changes; part of every cache key */
  version: number
  /** `optional` lists input ports that may stay unconnected (a validation set, say) */
  ports: { in: I; out: O; optional?: readonly Opt[] }
  config: C
  ui: NodeUi
  retry: RetryPolicy
  /**
   * `false` for a kind whose effect lies outside its outputs (a deploy step changes a live
   * deployment): its steps run every time, never answered from the cache. Default true.
   */
  cache?: boolean
  /**
   * How a config written for an older `version` becomes today's: applied in order by the
   * compiler, which says so. `from` is the version the step upgrades.
   */
  migrations?: readonly ConfigMigration[]
}

export interface ConfigMigration {
  from: number
  /** what changed, in the words the compiler shows the user */
  note: string
  up(config: Record<string, unknown>): Record<string, unknown>
  /** a config of version `from` and what `up` makes of it: the registry's test runs every one */
  example: { before: Record<string, unknown>; after: Record<string, unknown> }
}

export function defineNode<K extends string, C extends z.ZodType, I extends Ports, O extends Ports, Opt extends Extract<keyof I, string> = never>(
  definition: NodeDefinition<K, C, I, O, Opt>,
): NodeDefinition<K, C, I, O, Opt> {
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
  /** a model artifact's metadata (signature, labels, features), when it was published or imported with one */
  model?: ModelMetadata | null
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
  /** publish a finished file (an archive, an image, any blob) on a `file` port; the file is moved */
  file(port: FilePorts<O>, path: string, mediaType: string): Promise<void>
  /**
   * publish an ONNX model file on a `model` port with its metadata; the file is moved. The step
   * fails when the file does not load in onnxruntime-node or its signature disagrees with `metadata`.
   * With `registerAs`, the published model becomes the next version of that registry name, with
   * its lineage (run, pipeline version, node, input artifacts, parameters and metrics).
   */
  model(port: ModelPorts<O>, onnxPath: string, metadata: ModelMetadata, options?: ModelOutputOptions): Promise<void>
  /**
   * After the step has succeeded and its outputs are published, point `alias` of the registered
   * model `name` at `version`; the move is audited as the run's creator's. A failed step moves nothing.
   */
  moveAlias(move: AliasMove): void
  /** publish a reference to a live deployment (JSON) on a `deployment` port */
  deployment(port: DeploymentPorts<O>, value: unknown): Promise<void>
  /**
   * Keep bytes that a dataset row refers to (an image): gives their id, the sha256 to put in
   * the row. Published with the step's outputs, never before.
   */
  blob(bytes: Uint8Array, mediaType: string): Promise<string>
}

// `T extends P[K]`, not the other way round: for the untyped `Ports` (any port of any type) every
// port name qualifies, so the runner's writer fits every definition's typed one.
type PortsOfType<P extends Ports, T extends PortType> = { [K in keyof P]: T extends P[K] ? K : never }[keyof P] & string
export type DatasetPorts<O extends Ports> = PortsOfType<O, 'dataset'>
export type ReportPorts<O extends Ports> = PortsOfType<O, 'report'>
export type FilePorts<O extends Ports> = PortsOfType<O, 'file'>
export type ModelPorts<O extends Ports> = PortsOfType<O, 'model'>
export type DeploymentPorts<O extends Ports> = PortsOfType<O, 'deployment'>

/**
 * Which addresses an executor's outbound requests may reach besides the public internet.
 * Loopback, private, link-local and metadata addresses are refused unless listed here; an
 * administrator sets it (PIPEWRIGHT_OUTBOUND_ALLOW), never a pipeline.
 */
export interface OutboundPolicy {
  /** CIDR ranges allowed although a rule would refuse them, e.g. `127.0.0.0/8`, `::1/128` */
  allow: readonly string[]
}

export interface AliasMove {
  name: string
  alias: string
  version: number
}

/** What an executor may read of the model registry; it changes it only through `outputs.moveAlias`. */
export interface ModelRegistryView {
  /** the registry entry of a model artifact: the version this run registered, else the newest with those bytes */
  versionOf(artifactId: string): Promise<{ name: string; version: number } | null>
  /** the version `alias` of model `name` points at, with its file; null when the model or the alias does not exist */
  aliasTarget(name: string, alias: string): Promise<{ version: number; model: InputArtifact } | null>
}

/** What an arriving model must be and becomes: the metadata known before training, minus the signature the file brings. */
export interface HandoffModelSpec {
  metadata: Omit<ModelMetadata, 'inputs' | 'outputs'>
  registerAs?: string
}

/**
 * Parks the step until a model arrives from outside (a webhook's trainer, a command, a person's
 * upload). The trainer reads `manifest` and the files (input artifacts by file name) from the
 * bundle URL and sends the ONNX file to the callback URL with the one-time token.
 */
export interface HandoffRequest {
  mode: 'webhook' | 'command' | 'manual'
  /** the model port the arriving model is published on */
  port: string
  manifest: Record<string, unknown>
  /** file name (`train.parquet`) → an input artifact's id */
  files: Record<string, string>
  /** file name → a file the executor wrote in its workDir (a CSV copy, an image archive), kept with the handoff */
  writtenFiles?: Record<string, string>
  /** mode `command`: the name of a command an administrator allowed on the workers */
  command?: string
  model: HandoffModelSpec
  timeoutMs: number
}

export interface HandoffTicket {
  id: string
  /** one-time: send it as `Authorization: Bearer <token>` */
  token: string
  /** GET: the manifest; GET `<bundleUrl>/files/<name>`: a file */
  bundleUrl: string
  /** POST the ONNX file here as the raw body */
  callbackUrl: string
  expiresAt: string
}

/**
 * Ask a person before the step's outputs are published: the step waits (holding no worker) until
 * someone with `permission` approves (the outputs are published then, as theirs) or rejects it
 * (the step fails, saying who and why), or until `timeoutMs` passes (the step fails, saying so).
 */
export interface ApprovalRequest {
  permission: 'deployment:manage'
  /** what the approver is asked, in words: "Deploy penguins v2 to penguin-api as a 10% canary" */
  summary: string
  /**
   * How long the step waits for a decision; then it fails and its run ends (a step nobody decides
   * on must not wait forever). The deadline is kept with the approval, so a restart keeps it.
   */
  timeoutMs: number
}

/** The JSON outputs (by port) a step waiting for approval publishes once approved. */
export type StepOutputValues = Record<string, { type: 'report' | 'deployment'; value: unknown }>

export interface ModelOutputOptions {
  /** a registry model name (lower-case letters, digits and "-") */
  registerAs?: string
}

/** `step` (an epoch, a boosting round) and named numbers, snake_case */
export type CurvePoint = { step: number } & Record<string, number>

/** The inputs an executor gets: every connected port; an optional one may be absent. */
export type StepInputs<I extends Ports, Opt extends string = never> = { [P in Exclude<keyof I, Opt>]: InputArtifact } & {
  [P in Extract<keyof I, Opt>]?: InputArtifact
}

/** Everything an executor may touch. Executors never import db/ or tRPC. */
export interface StepContext<C, I extends Ports, O extends Ports, Opt extends string = never> {
  config: C
  inputs: StepInputs<I, Opt>
  outputs: OutputWriter<O>
  log(level: LogLevel, message: string): void
  /** fraction in [0, 1] */
  progress(fraction: number, message?: string): void
  /**
   * A point on the step's live chart, e.g. `{ step: 3, train_loss: 0.41, val_accuracy: 0.88 }` at
   * the end of epoch 3: the canvas and the step page draw it while the step runs, and it is kept
   * with the step. Non-finite values are left out.
   */
  curve(point: CurvePoint): void
  /** aborted when the run is canceled */
  signal: AbortSignal
  /** a file uploaded earlier, by its artifact id (sha256) */
  resolveArtifact(id: string): Promise<InputArtifact>
  /** the bytes of a blob a dataset row refers to (an image), by its id */
  readBlob(id: string): Promise<Buffer>
  /** a scratch folder for this attempt, removed afterwards */
  workDir: string
  /** where shipped sample data sets live */
  samplesDir: string
  /** where outbound requests (a URL source) may go */
  outbound: OutboundPolicy
  /** the model registry, read-only */
  registry: ModelRegistryView
  /**
   * Hand training to someone else: once the executor returns, the step waits (holding no
   * worker) until the model arrives or the handoff times out. Write no outputs after this.
   * `start` (call the webhook, start the command) runs once the step is parked, so a fast
   * trainer's model never arrives before the step waits for it; if it throws, the step fails.
   */
  handoff(request: HandoffRequest, start?: (ticket: HandoffTicket) => Promise<void>): Promise<HandoffTicket>
  /**
   * Once the executor returns, the step waits for a person's approval before its outputs are
   * published. Only JSON outputs (report, deployment) may be written by a step that asks.
   */
  requestApproval(request: ApprovalRequest): void
}

export type Executor<D> =
  D extends NodeDefinition<string, infer C, infer I, infer O, infer Opt>
    ? (ctx: StepContext<z.output<C>, I, O, Opt>) => Promise<void>
    : never

/** An executor as the runner calls it: config and inputs are checked against the definition first. */
export type UntypedExecutor = (ctx: StepContext<unknown, Ports, Ports>) => Promise<void>

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
