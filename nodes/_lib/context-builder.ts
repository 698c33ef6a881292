import fs from 'node:fs'
import path from 'node:path'
import type { z } from 'zod'
import type { CurvePoint, HandoffRequest, HandoffTicket, InputArtifact, LogLevel, ModelRegistryView, NodeDefinition, OutboundPolicy, OutputWriter, Ports, StepContext, StepInputs } from '../contract'
import { StepError } from '../contract'
import { appendPoint } from './curve'
import { createOutputWriter, type PendingOutputs } from './pending-outputs'

export interface ContextDeps {
  /** a fresh folder for this attempt: outputs and work space live under it */
  scratchDir: string
  samplesDir: string
  /** what the administrator allows outbound requests to reach (PIPEWRIGHT_OUTBOUND_ALLOW) */
  outbound: OutboundPolicy
  signal: AbortSignal
  resolveArtifact(id: string): Promise<InputArtifact>
  readBlob(id: string): Promise<Buffer>
  registry: ModelRegistryView
  /** records the handoff (and its token) where the callback will find it */
  /** records the handoff; `start` is what the installation itself starts once the step is parked (a command) */
  openHandoff(request: HandoffRequest): Promise<{ ticket: HandoffTicket; start?: (ticket: HandoffTicket) => Promise<void> }>
  log(level: LogLevel, message: string): void
  onProgress(fraction: number, message?: string): void
  /** the whole curve so far, after each point (bounded by `maxCurvePoints`) */
  onCurve(curve: readonly CurvePoint[]): void
}

/**
 * The one builder of a StepContext: the runner and the test harness both use it, so tests run
 * executors against the same context the workers hand them.
 */
export function buildStepContext(
  deps: ContextDeps,
  config: unknown,
  inputs: Record<string, InputArtifact>,
): { context: StepContext<unknown, Ports, Ports>; pending: PendingOutputs } {
  const outputsDir = path.join(deps.scratchDir, 'outputs')
  const workDir = path.join(deps.scratchDir, 'work')
  fs.mkdirSync(outputsDir, { recursive: true })
  fs.mkdirSync(workDir, { recursive: true })
  const { writer, pending } = createOutputWriter(outputsDir)
  const curve: CurvePoint[] = []
  const context: StepContext<unknown, Ports, Ports> = {
    config,
    inputs,
    outputs: writer,
    log: deps.log,
    progress: (fraction, message) => deps.onProgress(Math.min(1, Math.max(0, fraction)), message),
    curve(point) {
      appendPoint(curve, point)
      deps.onCurve(curve)
    },
    signal: deps.signal,
    resolveArtifact: deps.resolveArtifact,
    readBlob: deps.readBlob,
    workDir,
    samplesDir: deps.samplesDir,
    outbound: deps.outbound,
    registry: deps.registry,
    async handoff(request, start) {
      if (pending.handoff) throw new Error('A step hands off once.')
      const opened = await deps.openHandoff(request)
      const starts = [opened.start, start].filter((f) => f !== undefined)
      pending.handoff = { ticket: opened.ticket, ...(starts.length > 0 ? { start: (ticket: HandoffTicket) => runInTurn(starts, ticket) } : {}) }
      return opened.ticket
    },
    requestApproval(request) {
      if (pending.handoff) throw new Error('A step that hands training off cannot also wait for approval.')
      pending.approval = { ...request }
    },
  }
  return { context, pending }
}

/**
 * The context an executor of `definition` sees: config parsed (defaults applied), inputs checked
 * against its ports, outputs narrowed to its own ports. No casts: a wrong pairing is a type error.
 */
export function typedContext<K extends string, C extends z.ZodType, I extends Ports, O extends Ports, Opt extends string>(
  definition: NodeDefinition<K, C, I, O, Opt>,
  ctx: StepContext<unknown, Ports, Ports>,
): StepContext<z.output<C>, I, O, Opt> {
  const parsed = definition.config.safeParse(ctx.config)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new StepError(`The ${definition.kind} step's config is invalid at ${issue?.path.join('.') || '(config)'}: ${issue?.message ?? ''}`)
  }
  const { inputs } = ctx
  const optional: readonly string[] = definition.ports.optional ?? []
  const missing = Object.keys(definition.ports.in).filter((port) => !(port in inputs) && !optional.includes(port))
  if (!hasPorts<I, Opt>(inputs, definition.ports.in, optional)) throw new StepError(`The ${definition.kind} step has no input on ${missing.join(', ')}.`)
  return { ...ctx, config: parsed.data, inputs, outputs: typedWriter(ctx.outputs) }
}

function hasPorts<I extends Ports, Opt extends string>(
  inputs: Record<string, InputArtifact>,
  ports: I,
  optional: readonly string[],
): inputs is StepInputs<I, Opt> {
  return Object.keys(ports).every((port) => port in inputs || optional.includes(port))
}

/** The runner's writer takes any port name; the executor's takes only its own ports of each type. */
function typedWriter<O extends Ports>(writer: OutputWriter<Ports>): OutputWriter<O> {
  return {
    datasetPath: (port) => writer.datasetPath(port),
    report: (port, value) => writer.report(port, value),
    file: (port, path, mediaType) => writer.file(port, path, mediaType),
    model: (port, path, metadata, options) => writer.model(port, path, metadata, options),
    deployment: (port, value) => writer.deployment(port, value),
    moveAlias: (move) => writer.moveAlias(move),
    blob: (bytes, mediaType) => writer.blob(bytes, mediaType),
  }
}

async function runInTurn(starts: ((ticket: HandoffTicket) => Promise<void>)[], ticket: HandoffTicket): Promise<void> {
  for (const start of starts) await start(ticket)
}
