// Training outside Pipewright: the step writes a handoff (a manifest of the prepared data, its
// files, a callback URL and a one-time token), tells the trainer (a webhook) or a person (manual
// upload), and parks until the model comes back. The arriving model is checked against the
// manifest's features and registered exactly as a built-in trainer's.
import { StepError, type Executor, type HandoffTicket } from '../contract'
import { quoteIdent, quoteLiteral, withDuckDB, type DuckSession } from '../_lib/duckdb'
import type { Feature, ModelTask } from '../_lib/models/metadata'
import { referenceProfile } from '../_lib/models/reference-profile'
import { outboundPostJson, OutboundError } from '../_lib/outbound-http'
import { createAddressPolicy, describeRefusal } from '../_lib/outbound-policy'
import { profileParquet } from '../_lib/parquet'
import type { ExternalTrainer, trainHandoff } from './definition'
import { distinctLabelCount, tableSpec, type TableSpec } from './tabular-data'

type TrainContext = Parameters<Executor<typeof trainHandoff>>[0]

export const handoffFormat = 'pipewright-handoff/v1'

/** What the arriving model's inputs must be, per feature kind: raw values, one column per input. */
const inputTypes = { number: 'float32', category: 'string' } as const

async function classNames(db: DuckSession, path: string, label: string): Promise<string[]> {
  const rows = await db.rows(`SELECT DISTINCT CAST(${quoteIdent(label)} AS VARCHAR) AS name FROM read_parquet(${quoteLiteral(path)}) WHERE ${quoteIdent(label)} IS NOT NULL`)
  // sorted as the built-in trainers sort them (and as scikit-learn does): the order of the probabilities
  return rows.map((r) => String(r.name)).sort()
}

interface Prepared {
  spec: TableSpec
  labels: string[] | undefined
  features: Feature[]
  profile: ReturnType<typeof referenceProfile>
}

async function prepare(ctx: TrainContext, trainer: ExternalTrainer): Promise<Prepared> {
  const { train } = ctx.inputs
  return withDuckDB(async (db) => {
    const schema = train.schema ?? []
    const distinct = schema.some((c) => c.name === trainer.label) ? await distinctLabelCount(db, train.path, trainer.label) : 0
    const spec = tableSpec(schema, trainer, distinct)
    for (const skipped of spec.skipped) ctx.log('warn', `Column ${JSON.stringify(skipped.column)} is not a feature: ${skipped.reason}.`)
    const labels = spec.task === 'classification' ? await classNames(db, train.path, spec.label) : undefined
    if (labels && labels.length < 2) throw new StepError(`A classifier needs at least two classes; the training data has ${labels.length}.`)
    const features: Feature[] = spec.features.map((f) => (f.kind === 'number' ? { name: f.name, kind: 'number' } : { name: f.name, kind: 'category', categories: [] }))
    const profile = referenceProfile(await profileParquet(train.path, { topK: 1000 }, db), features)
    return { spec, labels, features, profile }
  }, { signal: ctx.signal })
}

/** The manifest a trainer reads: what to learn, from which files, and what the model must look like. */
function manifestOf(ctx: TrainContext, trainer: ExternalTrainer, prepared: Prepared) {
  const { train, validation } = ctx.inputs
  const task: ModelTask = prepared.spec.task
  return {
    format: handoffFormat,
    task,
    label: prepared.spec.label,
    ...(prepared.labels ? { labels: prepared.labels } : {}),
    features: prepared.spec.features.map((f) => ({ name: f.name, kind: f.kind })),
    files: { train: 'train.parquet', ...(validation ? { validation: 'validation.parquet' } : {}) },
    schema: train.schema ?? [],
    rows: { train: train.rowCount, ...(validation ? { validation: validation.rowCount } : {}) },
    hyperparameters: trainer.hyperparameters ?? {},
    seed: ctx.config.seed,
    registerAs: ctx.config.registerAs,
    model: {
      inputs: prepared.spec.features.map((f) => ({ name: f.name, type: inputTypes[f.kind], shape: ['batch', 1] })),
      outputs:
        task === 'classification'
          ? [{ name: 'probabilities', type: 'float32', shape: ['batch', prepared.labels!.length], note: 'in the order of "labels"' }, { name: 'label', type: 'string', shape: ['batch'], optional: true }]
          : [{ name: 'prediction', type: 'float32', shape: ['batch', 1] }],
      opset: 'ai.onnx 13 or newer',
    },
  }
}

export async function handOff(ctx: TrainContext, trainer: ExternalTrainer): Promise<void> {
  const prepared = await prepare(ctx, trainer)
  const manifest = manifestOf(ctx, trainer, prepared)
  const { train, validation } = ctx.inputs
  const request = {
    mode: trainer.type,
    port: 'model',
    manifest,
    files: { 'train.parquet': train.id, ...(validation ? { 'validation.parquet': validation.id } : {}) },
    model: {
      metadata: {
        task: prepared.spec.task,
        label: prepared.spec.label,
        ...(prepared.labels ? { labels: prepared.labels } : {}),
        features: prepared.features,
        referenceProfile: prepared.profile,
        algorithm: `external (${trainer.type})`,
        params: trainer.hyperparameters ?? {},
      },
      registerAs: ctx.config.registerAs,
    },
    timeoutMs: trainer.timeoutMinutes * 60_000,
  }
  const start = trainer.type === 'webhook' ? (ticket: HandoffTicket) => callWebhook(ctx, trainer.url, manifest, ticket) : undefined
  const ticket = await ctx.handoff(request, start)
  ctx.log('info', trainer.type === 'manual'
    ? `Waiting until ${ticket.expiresAt} for a person to upload the model on this step's page (or to POST it to ${ticket.callbackUrl} with the handoff token).`
    : `Handing training to ${trainer.url}; waiting until ${ticket.expiresAt} for the model at ${ticket.callbackUrl}.`)
}

/** The webhook gets the manifest, where to fetch the files, and where to send the model. */
async function callWebhook(ctx: TrainContext, url: string, manifest: Record<string, unknown>, ticket: HandoffTicket): Promise<void> {
  const body = { manifest, bundleUrl: ticket.bundleUrl, callbackUrl: ticket.callbackUrl, token: ticket.token, expiresAt: ticket.expiresAt }
  let answer: { status: number; text: string }
  try {
    answer = await outboundPostJson(new URL(url), body, { policy: createAddressPolicy(ctx.outbound), signal: AbortSignal.timeout(30_000) })
  } catch (error) {
    const why = error instanceof OutboundError && error.failure.type === 'refused' ? `refused: ${describeRefusal(error.failure.refusal, error.failure.host)} (an administrator can allow it with PIPEWRIGHT_OUTBOUND_ALLOW)` : 'the connection failed'
    throw new StepError(`The training webhook ${url} could not be called: ${why}.`)
  }
  if (answer.status < 200 || answer.status > 299) {
    throw new StepError(`The training webhook ${url} answered ${answer.status}${answer.text ? `: ${answer.text.slice(0, 300)}` : ''}; no training was started.`)
  }
}
