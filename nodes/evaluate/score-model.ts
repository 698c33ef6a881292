// One model scored on one held-out dataset: its answers beside the truth, rows without a true
// answer left out (and counted), and a batch kept for timing. The champion is scored the same way.
import fs from 'node:fs'
import ort from 'onnxruntime-node'
import sharp from 'sharp'
import { StepError } from '../contract'
import type { DuckSession } from '../_lib/duckdb'
import { inThisThread, type ModelRunner } from '../_lib/models/session-thread/session-thread'
import type { ModelMetadata } from '../_lib/models/metadata'
import type { Answers } from './metrics/evaluation'
import { datasetFeeds, type FeedBatch } from './model-feeds'
import { scoreBatches, type Scored } from './score'

export interface ScoreRequest {
  modelPath: string
  metadata: ModelMetadata
  datasetPath: string
  task: 'classification' | 'regression'
  labelColumn: string
  segmentColumn?: string
  readBlob(id: string): Promise<Buffer>
  onRows?(rows: number): void
}

export interface ModelScore {
  scored: Answers
  /** per scored row, its segment's value */
  segments: string[] | null
  /** rows without a true answer (null, or not a number for regression) */
  skipped: number
  /** the first batch, to time the model on */
  sample: FeedBatch | null
  /** the model, still loaded: release it when done */
  session: ModelRunner
  sizeBytes: number
}

/** Tables score in batches of DuckDB's chunk size, so chunks need no re-slicing; images one at a time, at their own size, as serving gets them. */
const tableBatchRows = 2048

/**
 * onnxruntime's own defaults, but its worker threads sleep between runs instead of spinning: the
 * model runs while DuckDB reads the next chunk, and on a small machine spinning threads take the
 * cores DuckDB needs (scoring took twice as long under load). Answers and latencies are the same.
 */
export const scoringSessionOptions: ort.InferenceSession.SessionOptions = { extra: { session: { 'intra_op.allow_spinning': '0' } } }

/**
 * The model on this thread. In a thread of its own it ran no faster here: batches of 2,048 rows
 * run in ~3 ms each, the event loop turns between them, and the messages cost what overlap won.
 */
export async function openSession(path: string): Promise<ModelRunner> {
  try {
    return inThisThread(await ort.InferenceSession.create(path, scoringSessionOptions))
  } catch (error) {
    throw new StepError(`The model does not load in onnxruntime: ${(error as Error).message}`)
  }
}

export async function scoreModel(db: DuckSession, request: ScoreRequest): Promise<ModelScore> {
  const session = await openSession(request.modelPath)
  const { features } = request.metadata
  const hasImage = features.some((f) => f.kind === 'image')
  let sample: FeedBatch | null = null
  const feeds = datasetFeeds(db, request.datasetPath, features, {
    labelColumn: request.labelColumn,
    task: request.task,
    ...(request.segmentColumn ? { segmentColumn: request.segmentColumn } : {}),
    batchRows: hasImage ? 1 : tableBatchRows,
    loadImage: (id) => decodeRgb(request.readBlob, id),
  })
  async function* keepFirst(): AsyncGenerator<FeedBatch> {
    for await (const batch of feeds) {
      sample ??= batch
      yield batch
    }
  }
  try {
    const raw = await scoreBatches(session, keepFirst(), request.task, { ...(request.metadata.labels ? { labels: request.metadata.labels } : {}), ...(request.onRows ? { onBatch: request.onRows } : {}) })
    const { scored, segments, skipped } = answers(raw, request)
    return { scored, segments, skipped, sample, session, sizeBytes: fs.statSync(request.modelPath).size }
  } catch (error) {
    await session.release()
    throw error
  }
}

/** Drops rows without a true answer; keeps the others' answers, probabilities and segments in step. */
function answers(raw: Scored, request: ScoreRequest): { scored: Answers; segments: string[] | null; skipped: number } {
  const keep = rowsWithTruth(raw.truth, request.task)
  if (keep.length === 0) throw new StepError(`No row of the dataset has a true answer in "${request.labelColumn}": there is nothing to score against.`)
  // usually every row has its answer: then the arrays are taken as they are, not copied row by row
  const all = keep.length === raw.rows
  const pick = <T>(values: readonly T[]): T[] => (all ? (values as T[]) : keep.map((row) => values[row]!))
  const segments = raw.segments ? pick(raw.segments) : null
  const skipped = raw.rows - keep.length
  if (request.task === 'regression') {
    return { scored: { task: 'regression', answers: { truth: pick(raw.truth) as number[], predicted: all ? Array.from(raw.values!) : keep.map((row) => raw.values![row]!) } }, segments, skipped }
  }
  const labels = request.metadata.labels ?? Array.from({ length: raw.classes }, (_, k) => String(k))
  if (labels.length !== raw.classes) {
    throw new StepError(`The model gives ${raw.classes} class scores but its metadata names ${labels.length} classes (${labels.join(', ')}).`)
  }
  return {
    scored: { task: 'classification', answers: { truth: pick(raw.truth).map(String), predicted: pick(raw.predicted), probabilities: keptProbabilities(raw, keep, all), labels } },
    segments,
    skipped,
  }
}

/** The rows whose truth is there: text that is not empty, or a finite number for regression. */
function rowsWithTruth(truth: readonly (string | number | null)[], task: 'classification' | 'regression'): number[] {
  const keep: number[] = []
  for (let row = 0; row < truth.length; row++) {
    const t = truth[row]
    if (task === 'classification' ? t !== null && t !== '' : typeof t === 'number' && Number.isFinite(t)) keep.push(row)
  }
  return keep
}

function keptProbabilities(raw: Scored, keep: readonly number[], all: boolean): Float64Array {
  const classes = raw.classes
  if (all) return new Float64Array(raw.probabilities!)
  const probabilities = new Float64Array(keep.length * classes)
  keep.forEach((row, i) => probabilities.set(raw.probabilities!.subarray(row * classes, row * classes + classes), i * classes))
  return probabilities
}

/** An image blob as RGB bytes at its own size: the model resizes inside, as it will when served. */
async function decodeRgb(readBlob: (id: string) => Promise<Buffer>, id: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  const bytes = await readBlob(id)
  try {
    const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true })
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height }
  } catch (error) {
    throw new StepError(`The image ${id} could not be decoded: ${(error as Error).message}`)
  }
}
