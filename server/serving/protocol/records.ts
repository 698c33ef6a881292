// The records API: rows by column name, `{ "records": [ { "<column>": value } ] }`, for a model
// described by its ModelMetadata. A tabular model takes one input per feature column, and a cell
// becomes that input by the same rules training and evaluate use (`numberInput`,
// `categoryInput`), so a row scores the same wherever it is read. An image model takes RGB pixels
// at each image's own size; images of one size share a run, so a request may need several.
import { z } from 'zod'
import type { Feature, ModelMetadata, TensorSignature } from '@/nodes/_lib/models/metadata'
import type { Feeds } from '@/nodes/_lib/models/session-thread/session-thread'
import { categoryInput, numberInput } from '@/nodes/train-handoff/onnx/tabular-preprocess'
import { BadRequestError, type Issue } from '@/server/http/errors'
import { base64Bytes, decodeImage, pixelBudget, type ImageLimits, type PixelBudget, type RgbImage } from './image-cells'

export { encodePredictions, inRecordOrder, type Prediction } from './predictions'
export type { ImageLimits } from './image-cells'

export const maxRecords = 1000

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// records are checked as objects, not copied key by key: a column may be called anything, even "__proto__"
export const recordsRequestSchema = z.object({
  records: z
    .array(z.custom<Record<string, unknown>>(isPlainObject, { message: 'each record must be an object of column → value' }))
    .min(1, 'send at least one record')
    .max(maxRecords, `send at most ${maxRecords} records a request`),
})

/** Records that can run together: their indexes in the request and the model's inputs for them. */
export interface FeedGroup {
  rows: number[]
  feeds: Feeds
}

export interface DecodedRecords {
  groups: FeedGroup[]
  /** per record, each feature as the model reads it: a number or null, text or null, an image's size */
  raw: Record<string, unknown>[]
  /** columns the records had that the model does not read (the label, ids, typos), first seen first */
  ignored: string[]
}

/** A float32 value beyond ±3.4e38 would reach the graph as Infinity. */
const maxFloat32 = 3.4028234663852886e38

/** How one feature reaches the graph: its input, and for tabular ones the reading of a cell. */
type Plan = { feature: Feature; input: TensorSignature }

/** The model's inputs feature by feature; a model whose inputs are not its columns has no records API. */
function planInputs(metadata: ModelMetadata): Plan[] {
  const plans: Plan[] = []
  for (const feature of metadata.features) {
    const input = metadata.inputs.find((i) => i.name === feature.name)
    const wanted = feature.kind === 'number' ? 'float32 [N, 1]' : feature.kind === 'category' ? 'string [N, 1]' : 'uint8 [N, H, W, 3]'
    const fits =
      input &&
      (feature.kind === 'image'
        ? input.type === 'uint8' && input.shape.length === 4 && input.shape[3] === 3
        : input.type === (feature.kind === 'number' ? 'float32' : 'string') && (input.shape.length === 1 || (input.shape.length === 2 && input.shape[1] === 1)))
    if (!fits) {
      const has = input ? `${input.type} [${input.shape.join(', ')}]` : 'no such input'
      throw new BadRequestError(`This model cannot take records: its feature "${feature.name}" needs an input ${wanted}, and the model has ${has}. Send tensors to /v2/models/{name}/infer instead.`)
    }
    plans.push({ feature, input })
  }
  const fed = new Set(plans.map((p) => p.input.name))
  const unfed = metadata.inputs.filter((i) => !fed.has(i.name))
  if (plans.length === 0 || unfed.length > 0) {
    throw new BadRequestError(`This model cannot take records: its input${unfed.length === 1 ? '' : 's'} ${unfed.map((i) => JSON.stringify(i.name)).join(', ')} ${unfed.length === 1 ? 'is' : 'are'} not a feature column. Send tensors to /v2/models/{name}/infer instead.`)
  }
  return plans
}

/** Throws the 400 a records request would get when the model's inputs are not its feature columns (for a route or a deploy check). */
export function checkRecordsModel(metadata: ModelMetadata): void {
  planInputs(metadata)
}

/** Reads `{ records: [...] }` for a model; every problem is a 400 naming the record and column. */
export async function decodeRecords(body: unknown, metadata: ModelMetadata, limits: ImageLimits = {}): Promise<DecodedRecords> {
  const parsed = recordsRequestSchema.safeParse(body)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message, code: issue.code }))
    throw new BadRequestError(`${issues[0]!.path || '(body)'}: ${issues[0]!.message}`, issues)
  }
  return decodeRecordList(parsed.data.records, metadata, limits)
}

/** One cell as the model reads it. */
type Cell = { kind: 'number'; value: number } | { kind: 'category'; value: string } | { kind: 'image'; image: RgbImage }

/** How a message points at one cell: `records[3]."size [cm]"`, or an uploaded file by its number and name. */
type CellName = (record: number, column: string) => string

const jsonCell: CellName = (r, column) => `records[${r}].${columnPath(column)}`

async function decodeRecordList(records: readonly Record<string, unknown>[], metadata: ModelMetadata, limits: ImageLimits, cellName: CellName = jsonCell): Promise<DecodedRecords> {
  const plans = planInputs(metadata)
  checkColumns(records, plans)
  const budget = pixelBudget(limits)
  const cells: Cell[][] = []
  for (let r = 0; r < records.length; r++) {
    const row: Cell[] = []
    for (const plan of plans) row.push(await readCell(records[r]![plan.feature.name], cellName(r, plan.feature.name), plan, budget))
    cells.push(row)
  }
  return { groups: group(cells, plans), raw: cells.map((row) => rawValues(row, plans)), ignored: ignoredColumns(records, plans) }
}

/** `size` as it is, `"size [cm]"` quoted: a message should point at the column unmistakably. */
function columnPath(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name)
}

/**
 * A record without a feature's column is refused rather than read as missing: a key that is absent
 * is far more often a misspelt or renamed column than a deliberate gap, and scoring it with the
 * training mean would hide the mistake. A missing value is sent as null.
 */
function checkColumns(records: readonly Record<string, unknown>[], plans: readonly Plan[]): void {
  const issues: Issue[] = []
  records.forEach((record, r) => {
    for (const { feature } of plans) {
      if (!Object.hasOwn(record, feature.name)) issues.push({ path: `records[${r}].${columnPath(feature.name)}`, message: `records[${r}] has no column ${JSON.stringify(feature.name)}` })
    }
  })
  if (issues.length === 0) return
  const columns = plans.map((p) => JSON.stringify(p.feature.name)).join(', ')
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more like it)` : ''
  throw new BadRequestError(`${issues[0]!.message}${more}; the model reads ${columns}. Send null for a missing value.`, issues.slice(0, 100))
}

async function readCell(value: unknown, where: string, plan: Plan, budget: PixelBudget): Promise<Cell> {
  const { feature } = plan
  if (feature.kind === 'number') {
    const n = numberInput(value)
    if (Number.isFinite(n) && Math.abs(n) > maxFloat32) throw new BadRequestError(`${where} is ${n}, beyond what the model's float32 input holds (±3.4e38).`)
    return { kind: 'number', value: n }
  }
  if (feature.kind === 'category') return { kind: 'category', value: categoryInput(value) }
  const image = await decodeImage(imageBytes(value, where), where, budget)
  checkImageSize(image, where, plan.input)
  return { kind: 'image', image }
}

function imageBytes(value: unknown, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (typeof value === 'string') return base64Bytes(value, where)
  throw new BadRequestError(`${where} must be an image as base64 text (raw or a data:image/…;base64, URL), not ${value === null ? 'null' : typeof value}.`)
}

/** A model that resizes inside takes any size; one with fixed H and W takes only that. */
function checkImageSize(image: RgbImage, where: string, input: TensorSignature): void {
  const [, height, width] = input.shape
  if ((typeof height === 'number' && height !== image.height) || (typeof width === 'number' && width !== image.width)) {
    throw new BadRequestError(`${where} is ${image.width}×${image.height}, but the model takes ${width}×${height} images only.`)
  }
}

function sizeKey(row: readonly Cell[]): string {
  const image = row.find((c): c is Extract<Cell, { kind: 'image' }> => c.kind === 'image')
  return image ? `${image.image.width}x${image.image.height}` : ''
}

/** Records of one image size run together (all of them for a tabular model), in request order. */
function group(cells: readonly Cell[][], plans: readonly Plan[]): FeedGroup[] {
  const bySize = new Map<string, number[]>()
  cells.forEach((row, r) => {
    const key = sizeKey(row)
    const rows = bySize.get(key)
    if (rows) rows.push(r)
    else bySize.set(key, [r])
  })
  // a model with a fixed batch size takes that many records a run
  const batch = plans.map((p) => p.input.shape[0]).find((d): d is number => typeof d === 'number' && d > 0)
  const groups: FeedGroup[] = []
  for (const rows of bySize.values()) {
    for (let at = 0; at < rows.length; at += batch ?? rows.length) {
      const part = rows.slice(at, at + (batch ?? rows.length))
      groups.push({ rows: part, feeds: feedsFor(part.map((r) => cells[r]!), plans) })
    }
  }
  return groups
}

/** Built with fromEntries: assigning `feeds["__proto__"]` would set the prototype, not an input. */
function feedsFor(rows: readonly Cell[][], plans: readonly Plan[]): Feeds {
  return Object.fromEntries(
    plans.map((plan, column): [string, Feeds[string]] => {
      const n = rows.length
      const dims = plan.input.shape.length === 1 ? [n] : [n, 1]
      const cells = rows.map((row) => row[column]!)
      if (plan.feature.kind === 'number') return [plan.input.name, { type: 'float32', data: Float32Array.from(cells, (c) => (c.kind === 'number' ? c.value : Number.NaN)), dims }]
      if (plan.feature.kind === 'category') return [plan.input.name, { type: 'string', data: cells.map((c) => (c.kind === 'category' ? c.value : '')), dims }]
      return [plan.input.name, imageTensor(cells)]
    }),
  )
}

function imageTensor(cells: readonly Cell[]): Feeds[string] {
  const images = cells.map((c) => (c as Extract<Cell, { kind: 'image' }>).image)
  const { width, height } = images[0]!
  const size = width * height * 3
  const data = new Uint8Array(images.length * size)
  images.forEach((image, i) => data.set(image.data, i * size))
  return { type: 'uint8', data, dims: [images.length, height, width, 3] }
}

/** What the fail-safe rules read: missing as null, numbers as float32 holds them, an image by its size. */
function rawValues(row: readonly Cell[], plans: readonly Plan[]): Record<string, unknown> {
  return Object.fromEntries(
    row.map((cell, column) => {
      const name = plans[column]!.feature.name
      if (cell.kind === 'number') return [name, Number.isFinite(cell.value) ? Math.fround(cell.value) : null]
      if (cell.kind === 'category') return [name, cell.value === '' ? null : cell.value]
      return [name, { width: cell.image.width, height: cell.image.height }]
    }),
  )
}

const maxIgnoredNames = 100

function ignoredColumns(records: readonly Record<string, unknown>[], plans: readonly Plan[]): string[] {
  const read = new Set(plans.map((p) => p.feature.name))
  const ignored = new Set<string>()
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!read.has(key)) ignored.add(key)
      if (ignored.size >= maxIgnoredNames) return [...ignored]
    }
  }
  return [...ignored]
}

/**
 * A multipart/form-data upload for an image model: each file in the image feature's field
 * (`image`, possibly several) is one record, read as the JSON records are (a text value in that
 * field is read as base64). Messages name a file by its place and name: `File 2 of "image" ("b.png")`.
 */
export async function decodeImageUpload(request: Request, metadata: ModelMetadata, limits: ImageLimits = {}): Promise<DecodedRecords> {
  let form: FormData
  try {
    form = await request.formData()
  } catch (error) {
    throw new BadRequestError(`The body is not a multipart/form-data upload: ${(error as Error).message}.`)
  }
  return decodeImageForm(form, metadata, limits)
}

export async function decodeImageForm(form: FormData, metadata: ModelMetadata, limits: ImageLimits = {}): Promise<DecodedRecords> {
  const image = metadata.features.find((f) => f.kind === 'image')
  if (!image || metadata.features.length !== 1) {
    throw new BadRequestError('This model takes records of columns, not image uploads; send JSON { "records": [...] }.')
  }
  const entries = form.getAll(image.name)
  if (entries.length === 0) throw new BadRequestError(`The upload has no "${image.name}" field; send each picture as a file in an "${image.name}" field.`)
  if (entries.length > maxRecords) throw new BadRequestError(`The upload has ${entries.length} "${image.name}" files; send at most ${maxRecords} a request.`)
  const records: Record<string, unknown>[] = []
  for (const entry of entries) records.push({ [image.name]: typeof entry === 'string' ? entry : new Uint8Array(await entry.arrayBuffer()) })
  const fileName = (r: number) => {
    const entry = entries[r]
    return typeof entry === 'string' ? ' (a text field)' : entry?.name ? ` (${JSON.stringify(entry.name.slice(0, 100))})` : ''
  }
  const decoded = await decodeRecordList(records, metadata, limits, (r, column) => `File ${r + 1} of "${column}"${fileName(r)}`)
  const ignored = [...new Set([...form.keys()].filter((k) => k !== image.name))]
  return { ...decoded, ignored }
}
