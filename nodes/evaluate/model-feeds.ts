// A held-out dataset as the raw inputs a Pipewright model takes, batch by batch: one tensor per
// feature column ([N, 1] float32 for numbers, string for categories) or the `image` tensor
// (uint8 RGB [N, H, W, 3]), exactly as serving will feed it. Streams DuckDB's chunks, so a
// million rows never sit in memory as objects.
import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api'
import { StepError } from '../contract'
import { quoteIdent, quoteLiteral, type DuckSession } from '../_lib/duckdb'
import { readFloats, readNumbers, readTexts, TextCache } from '../_lib/duckdb-columns'
import type { Feature } from '../_lib/models/metadata'

export interface FeedTensor {
  type: 'float32' | 'string' | 'uint8'
  data: Float32Array | string[] | Uint8Array
  dims: number[]
}

export interface FeedBatch {
  feeds: Record<string, FeedTensor>
  /** the true label of each row: text for classification, a number (or null) for regression */
  truth: (string | number | null)[]
  /** the segment column's value of each row, as text ('' for null), when one was asked for */
  segments: string[] | null
}

export interface FeedOptions {
  labelColumn: string
  task: 'classification' | 'regression'
  segmentColumn?: string
  batchRows: number
  /** an image blob id → its RGB pixels at its own size (the model resizes inside) */
  loadImage?: (blobId: string) => Promise<{ data: Uint8Array; width: number; height: number }>
}

const readAheadBytes = '16MB'

export async function* datasetFeeds(db: DuckSession, datasetPath: string, features: readonly Feature[], options: FeedOptions): AsyncGenerator<FeedBatch> {
  const columns = await datasetColumns(db, datasetPath)
  const needed = [...features.map((f) => f.name), options.labelColumn, ...(options.segmentColumn ? [options.segmentColumn] : [])]
  const missing = needed.filter((name) => !columns.includes(name))
  if (missing.length > 0) {
    throw new StepError(`The dataset has no column ${missing.map((m) => JSON.stringify(m)).join(', ')} the model needs; it has ${columns.map((c) => JSON.stringify(c)).join(', ')}.`)
  }
  // DuckDB reads ahead on its own threads while the model runs, up to this many bytes of chunks
  // (its default, ~1 MB, is 2–3 chunks of a wide table: the fetches then wait on the Parquet)
  await db.exec(`SET streaming_buffer_size = '${readAheadBytes}'`)
  const result = await db.connection.stream(selectSql(datasetPath, features, options))
  const caches = Array.from({ length: features.length + 2 }, () => new TextCache())
  let batch = newBatch(features, options)
  // DuckDB fetches the next chunk on its own thread while this one is turned into batches and
  // the model runs on them (onnxruntime-node runs on this thread)
  let next: Promise<DuckDBDataChunk | null> | undefined = result.fetchChunk()
  try {
    for (;;) {
      db.checkAborted()
      const chunk = await next
      next = undefined
      if (!chunk || chunk.rowCount === 0) break
      next = result.fetchChunk()
      for (let from = 0; from < chunk.rowCount; ) {
        const take = Math.min(options.batchRows - batch.rows, chunk.rowCount - from)
        appendRows(batch, chunk, from, take, features, options, caches)
        from += take
        if (batch.rows === options.batchRows) {
          yield await toBatch(batch, features, options)
          batch = newBatch(features, options)
        }
      }
    }
    if (batch.rows > 0) yield await toBatch(batch, features, options)
  } finally {
    // stopped early (a failure, a cancel): let the fetch in flight end before the connection closes
    await next?.catch(() => null)
    await db.exec('RESET streaming_buffer_size').catch(() => undefined)
  }
}

async function datasetColumns(db: DuckSession, path: string): Promise<string[]> {
  const rows = await db.rows(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(path)})`)
  return rows.map((r) => String(r.column_name))
}

function selectSql(path: string, features: readonly Feature[], options: FeedOptions): string {
  const parts = features.map((f) => (f.kind === 'number' ? `TRY_CAST(${quoteIdent(f.name)} AS DOUBLE)` : `CAST(${quoteIdent(f.name)} AS VARCHAR)`))
  const label = quoteIdent(options.labelColumn)
  parts.push(options.task === 'classification' ? `CAST(${label} AS VARCHAR)` : `TRY_CAST(${label} AS DOUBLE)`)
  if (options.segmentColumn) parts.push(`CAST(${quoteIdent(options.segmentColumn)} AS VARCHAR)`)
  return `SELECT ${parts.join(', ')} FROM read_parquet(${quoteLiteral(path)})`
}

/** A batch being filled from one or more chunks: one column per feature, then the truth and segments. */
interface PendingBatch {
  rows: number
  numbers: (Float32Array | null)[]
  texts: (string[] | null)[]
  truth: (string | number | null)[]
  segments: string[] | null
}

function newBatch(features: readonly Feature[], options: FeedOptions): PendingBatch {
  const size = options.batchRows
  return {
    rows: 0,
    numbers: features.map((f) => (f.kind === 'number' ? new Float32Array(size) : null)),
    texts: features.map((f) => (f.kind === 'number' ? null : new Array<string>(size))),
    truth: new Array<string | number | null>(size),
    segments: options.segmentColumn ? new Array<string>(size) : null,
  }
}

/** Rows [from, from + count) of `chunk` into the batch; the chunk's columns are those of {@link selectSql}. */
function appendRows(batch: PendingBatch, chunk: DuckDBDataChunk, from: number, count: number, features: readonly Feature[], options: FeedOptions, caches: TextCache[]): void {
  const at = batch.rows
  features.forEach((feature, i) => {
    const vector = chunk.getColumnVector(i)
    if (feature.kind === 'number') readFloats(vector, from, count, batch.numbers[i]!, at)
    else if (feature.kind === 'category') readTexts(vector, from, count, batch.texts[i]!, at, '', caches[i]!)
    else readImageIds(vector, from, count, batch.texts[i]!, at)
  })
  const label = chunk.getColumnVector(features.length)
  if (options.task === 'classification') readTexts(label, from, count, batch.truth as (string | null)[], at, null, caches[features.length]!)
  else readNumbers(label, from, count, batch.truth as (number | null)[], at)
  if (batch.segments) readTexts(chunk.getColumnVector(features.length + 1), from, count, batch.segments, at, '', caches[features.length + 1]!)
  batch.rows += count
}

/** Image ids as they are: a null or non-text id is caught (and named) when the images load. */
function readImageIds(vector: DuckDBVector, from: number, count: number, out: unknown[], at: number): void {
  for (let i = 0; i < count; i++) out[at + i] = vector.getItem(from + i)
}

async function toBatch(batch: PendingBatch, features: readonly Feature[], options: FeedOptions): Promise<FeedBatch> {
  const { rows } = batch
  const full = rows === options.batchRows
  const feeds: Record<string, FeedTensor> = {}
  for (const [i, feature] of features.entries()) {
    if (feature.kind === 'number') {
      const data = batch.numbers[i]!
      feeds[feature.name] = { type: 'float32', data: full ? data : data.slice(0, rows), dims: [rows, 1] }
    } else {
      const values = full ? batch.texts[i]! : batch.texts[i]!.slice(0, rows)
      feeds[feature.name] = feature.kind === 'category' ? { type: 'string', data: values, dims: [rows, 1] } : await imageTensor(values as unknown[], feature, options)
    }
  }
  const truth = full ? batch.truth : batch.truth.slice(0, rows)
  const segments = batch.segments && (full ? batch.segments : batch.segments.slice(0, rows))
  return { feeds, truth, segments }
}

/** One batch of images: they share one size (a batch of one always does). */
async function imageTensor(values: unknown[], feature: Extract<Feature, { kind: 'image' }>, options: FeedOptions): Promise<FeedTensor> {
  if (!options.loadImage) throw new Error('an image model needs loadImage')
  const images = []
  for (const [row, id] of values.entries()) {
    if (typeof id !== 'string') throw new StepError(`Row ${row + 1} of this batch has no image id in "${feature.name}".`)
    images.push(await options.loadImage(id))
  }
  const { width, height } = images[0]!
  const size = width * height * 3
  const data = new Uint8Array(images.length * size)
  images.forEach((image, row) => {
    if (image.width !== width || image.height !== height) throw new StepError(`Images of one batch differ in size (${width}×${height} and ${image.width}×${image.height}); score images one at a time.`)
    data.set(image.data, row * size)
  })
  return { type: 'uint8', data, dims: [values.length, height, width, 3] }
}
