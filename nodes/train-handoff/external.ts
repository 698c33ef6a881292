// Training outside Pipewright: the step writes a handoff (a manifest of the prepared data, its
// files, a callback URL and a one-time token), tells the trainer (a webhook, an allowed command on
// the worker, or a person's upload), and parks until the model comes back. The arriving model is
// checked against the manifest's features and registered exactly as a built-in trainer's.
import path from 'node:path'
import { StepError, type Executor, type HandoffTicket } from '../contract'
import { quoteIdent, quoteLiteral, withDuckDB, type DuckSession } from '../_lib/duckdb'
import type { Feature, ModelTask } from '../_lib/models/metadata'
import { referenceProfile } from '../_lib/models/reference-profile'
import { outboundPostJson, OutboundError } from '../_lib/outbound-http'
import { createAddressPolicy, describeRefusal } from '../_lib/outbound-policy'
import { profileParquet } from '../_lib/parquet'
import type { ExternalTrainer, trainHandoff } from './definition'
import { writeCsvCopy, writeImageArchive } from './handoff-files'
import { distinctLabelCount, tableSpec } from './tabular-data'
import { checkImageDataset, imageProfile, loadImageTensors, readImageRows } from './image-data'
import { imageColumns, isImageDataset } from '../_lib/image-dataset'

type TrainContext = Parameters<Executor<typeof trainHandoff>>[0]

export const handoffFormat = 'pipewright-handoff/v1'

/** What the arriving model's inputs must be, per feature kind: raw values, one input per column. */
const modelInputs = {
  number: (name: string) => ({ name, type: 'float32', shape: ['batch', 1] }),
  category: (name: string) => ({ name, type: 'string', shape: ['batch', 1] }),
  image: (name: string) => ({ name, type: 'uint8', shape: ['batch', 'height', 'width', 3], note: 'raw RGB at any size: resize and normalise inside the model' }),
} as const

/** The side an image model is told to see when the hyperparameters do not say (`imageSize`). */
const defaultImageSize = 32

async function classNames(db: DuckSession, path: string, label: string): Promise<string[]> {
  const rows = await db.rows(`SELECT DISTINCT CAST(${quoteIdent(label)} AS VARCHAR) AS name FROM read_parquet(${quoteLiteral(path)}) WHERE ${quoteIdent(label)} IS NOT NULL`)
  // sorted as the built-in trainers sort them (and as scikit-learn does): the order of the probabilities
  return rows.map((r) => String(r.name)).sort()
}

interface Prepared {
  task: ModelTask
  label: string
  labels: string[] | undefined
  features: Feature[]
  profile: ReturnType<typeof referenceProfile>
  /** an image dataset: the images go along in an archive */
  images: boolean
}

/** An image dataset handed off whole: its `image` column is the one feature, its classes the labels. */
function wantsImages(ctx: TrainContext, trainer: ExternalTrainer): boolean {
  const schema = ctx.inputs.train.schema ?? []
  const asked = trainer.features
  return isImageDataset(schema) && (asked === undefined || (asked.length === 1 && asked[0] === imageColumns.image))
}

async function prepareImages(ctx: TrainContext, trainer: ExternalTrainer, db: DuckSession): Promise<Prepared> {
  const { train } = ctx.inputs
  checkImageDataset(train.schema ?? [], trainer.label, 'training')
  if (trainer.task === 'regression') throw new StepError('An image dataset is handed off for classification: leave task out or set it to "classification".')
  const rows = await readImageRows(db, train.path, trainer.label)
  if (rows.labels.length < 2) throw new StepError(`A classifier needs at least two classes; the training images have ${rows.labels.length}.`)
  // the profile reads each image's own mean levels: decode at a 1-pixel size, keep nothing else
  const levels = await loadImageTensors(rows.ids, 1, { readBlob: (id) => ctx.readBlob(id), signal: ctx.signal })
  const size = typeof trainer.hyperparameters?.imageSize === 'number' ? trainer.hyperparameters.imageSize : defaultImageSize
  return { task: 'classification', label: trainer.label, labels: rows.labels, features: [{ name: imageColumns.image, kind: 'image', width: size, height: size }], profile: [imageProfile(levels)], images: true }
}

async function prepareTable(ctx: TrainContext, trainer: ExternalTrainer, db: DuckSession): Promise<Prepared> {
  const { train } = ctx.inputs
  const schema = train.schema ?? []
  const distinct = schema.some((c) => c.name === trainer.label) ? await distinctLabelCount(db, train.path, trainer.label) : 0
  const spec = tableSpec(schema, trainer, distinct)
  for (const skipped of spec.skipped) ctx.log('warn', `Column ${JSON.stringify(skipped.column)} is not a feature: ${skipped.reason}.`)
  const labels = spec.task === 'classification' ? await classNames(db, train.path, spec.label) : undefined
  if (labels && labels.length < 2) throw new StepError(`A classifier needs at least two classes; the training data has ${labels.length}.`)
  const features: Feature[] = spec.features.map((f) => (f.kind === 'number' ? { name: f.name, kind: 'number' } : { name: f.name, kind: 'category', categories: [] }))
  const profile = referenceProfile(await profileParquet(train.path, { topK: 1000 }, db), features)
  return { task: spec.task, label: spec.label, labels, features, profile, images: false }
}

/** The input artifacts by file name, and the files written beside them (CSV copies, image archives). */
async function bundleFiles(ctx: TrainContext, prepared: Prepared, db: DuckSession) {
  const sides = Object.entries({ train: ctx.inputs.train, validation: ctx.inputs.validation }).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined)
  const files: Record<string, string> = {}
  const writtenFiles: Record<string, string> = {}
  for (const [side, input] of sides) {
    files[`${side}.parquet`] = input.id
    writtenFiles[`${side}.csv`] = path.join(ctx.workDir, `${side}.csv`)
    await writeCsvCopy(db, input, writtenFiles[`${side}.csv`]!)
    if (prepared.images) {
      writtenFiles[`${side}-images.zip`] = path.join(ctx.workDir, `${side}-images.zip`)
      const count = await writeImageArchive(db, input, writtenFiles[`${side}-images.zip`]!, (id) => ctx.readBlob(id), ctx.signal)
      ctx.log('info', `Packed ${count} ${side} images into ${side}-images.zip.`)
    }
  }
  return { files, writtenFiles, sides: sides.map(([side]) => side) }
}

/** The manifest a trainer reads: what to learn, from which files, and what the model must look like. */
function manifestOf(ctx: TrainContext, trainer: ExternalTrainer, prepared: Prepared, sides: string[]) {
  const { train, validation } = ctx.inputs
  const fileNames = (side: string) => ({ parquet: `${side}.parquet`, csv: `${side}.csv`, ...(prepared.images ? { images: `${side}-images.zip` } : {}) })
  return {
    format: handoffFormat,
    task: prepared.task,
    label: prepared.label,
    ...(prepared.labels ? { labels: prepared.labels } : {}),
    features: prepared.features.map((f) => ({ name: f.name, kind: f.kind })),
    files: Object.fromEntries(sides.map((side) => [side, fileNames(side)])),
    ...(prepared.images ? { images: { column: imageColumns.image, archive: 'each image is the entry named by the row\'s "image" value (PNG or JPEG bytes)' } } : {}),
    schema: train.schema ?? [],
    rows: { train: train.rowCount, ...(validation ? { validation: validation.rowCount } : {}) },
    hyperparameters: trainer.hyperparameters ?? {},
    seed: ctx.config.seed,
    registerAs: ctx.config.registerAs,
    model: {
      inputs: prepared.features.map((f) => modelInputs[f.kind](f.name)),
      outputs:
        prepared.task === 'classification'
          ? [{ name: 'probabilities', type: 'float32', shape: ['batch', prepared.labels!.length], note: 'in the order of "labels"' }, { name: 'label', type: 'string', shape: ['batch'], optional: true }]
          : [{ name: 'prediction', type: 'float32', shape: ['batch', 1] }],
      opset: 'ai.onnx 13 or newer',
    },
  }
}

const waitingFor = {
  webhook: (trainer: ExternalTrainer) => `Handing training to ${'url' in trainer ? trainer.url : 'the webhook'}`,
  command: (trainer: ExternalTrainer) => `Starting the training command ${JSON.stringify('command' in trainer ? trainer.command : '')} on this worker once the step waits`,
  manual: () => 'Waiting for a person to upload the model on this step\'s page',
}

export async function handOff(ctx: TrainContext, trainer: ExternalTrainer): Promise<void> {
  const { prepared, bundle } = await withDuckDB(
    async (db) => {
      const prepared = wantsImages(ctx, trainer) ? await prepareImages(ctx, trainer, db) : await prepareTable(ctx, trainer, db)
      return { prepared, bundle: await bundleFiles(ctx, prepared, db) }
    },
    { signal: ctx.signal },
  )
  const manifest = manifestOf(ctx, trainer, prepared, bundle.sides)
  const request = {
    mode: trainer.type,
    port: 'model',
    manifest,
    files: bundle.files,
    writtenFiles: bundle.writtenFiles,
    ...(trainer.type === 'command' ? { command: trainer.command } : {}),
    model: {
      metadata: {
        task: prepared.task,
        label: prepared.label,
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
  ctx.log('info', `${waitingFor[trainer.type](trainer)}; waiting until ${ticket.expiresAt} for the model (or a POST of it to ${ticket.callbackUrl} with the handoff token).`)
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
