// A held-out dataset as the raw inputs a Pipewright model takes, batch by batch: one tensor per
// feature column ([N, 1] float32 for numbers, string for categories) or the `image` tensor
// (uint8 RGB [N, H, W, 3]), exactly as serving will feed it. Streams DuckDB's chunks, so a
// million rows never sit in memory as objects.
import type { DuckDBValue } from '@duckdb/node-api'
import { StepError } from '../contract'
import { quoteIdent, quoteLiteral, type DuckSession } from '../_lib/duckdb'
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

export async function* datasetFeeds(db: DuckSession, datasetPath: string, features: readonly Feature[], options: FeedOptions): AsyncGenerator<FeedBatch> {
  const columns = await datasetColumns(db, datasetPath)
  const needed = [...features.map((f) => f.name), options.labelColumn, ...(options.segmentColumn ? [options.segmentColumn] : [])]
  const missing = needed.filter((name) => !columns.includes(name))
  if (missing.length > 0) {
    throw new StepError(`The dataset has no column ${missing.map((m) => JSON.stringify(m)).join(', ')} the model needs; it has ${columns.map((c) => JSON.stringify(c)).join(', ')}.`)
  }
  const result = await db.connection.stream(selectSql(datasetPath, features, options))
  let pending: DuckDBValue[][] = []
  let pendingRows = 0
  for (;;) {
    db.checkAborted()
    const chunk = await result.fetchChunk()
    const done = !chunk || chunk.rowCount === 0
    if (!done) {
      const cols = chunk.getColumns()
      pending = pending.length === 0 ? cols : pending.map((values, i) => values.concat(cols[i]!))
      pendingRows += chunk.rowCount
    }
    while (pendingRows >= options.batchRows || (done && pendingRows > 0)) {
      const take = Math.min(options.batchRows, pendingRows)
      const batch = pending.map((values) => values.slice(0, take))
      pending = pending.map((values) => values.slice(take))
      pendingRows -= take
      yield await toBatch(batch, take, features, options)
    }
    if (done) return
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

async function toBatch(columns: DuckDBValue[][], rows: number, features: readonly Feature[], options: FeedOptions): Promise<FeedBatch> {
  const feeds: Record<string, FeedTensor> = {}
  for (const [i, feature] of features.entries()) {
    const values = columns[i]!
    if (feature.kind === 'number') {
      feeds[feature.name] = { type: 'float32', data: Float32Array.from(values, (v) => (typeof v === 'number' ? v : Number.NaN)), dims: [rows, 1] }
    } else if (feature.kind === 'category') {
      feeds[feature.name] = { type: 'string', data: values.map((v) => (v === null ? '' : String(v))), dims: [rows, 1] }
    } else {
      feeds[feature.name] = await imageTensor(values, feature, options)
    }
  }
  const truth = columns[features.length]!.map((v) => (v === null ? null : typeof v === 'number' ? v : String(v)))
  const segments = options.segmentColumn ? columns[features.length + 1]!.map((v) => (v === null ? '' : String(v))) : null
  return { feeds, truth, segments }
}

/** One batch of images: they share one size (a batch of one always does). */
async function imageTensor(values: DuckDBValue[], feature: Extract<Feature, { kind: 'image' }>, options: FeedOptions): Promise<FeedTensor> {
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
