// Image mode: augmented copies of the images of chosen labels, and painted defects on good ones.
// Each new image has its own random stream, rngFor(seed, row, copy, op), so the bytes never depend
// on how many images are in flight at once.
import { StepError, type DatasetColumn, type StepContext } from '../contract'
import { quoteIdent, type DuckSession } from '../_lib/duckdb'
import { boxesType, imageColumns, isImageDataset, type Box } from '../_lib/image-dataset'
import { rngFor } from '../_lib/images/rng'
import type { augment, AugmentReport, ImagesConfig } from './definition'
import { injectDefect } from './defects'
import { applyOp, decodeImage, encodePng, type Frame } from './image-ops'
import { sourceTable, type GeneratedRow, type OutputPlan, type Source } from './table'

/** Images decoded, changed and encoded at the same time (sharp itself uses further threads). */
export const imageConcurrency = 4

type AugmentContext = StepContext<unknown, (typeof augment)['ports']['in'], (typeof augment)['ports']['out']>

interface SourceImage {
  position: number
  image: string
  width: number
  height: number
  label: string
  boxes: Box[]
}

/** What to make from one input image. */
interface Job {
  source: SourceImage
  copies: number
  defects: number
}

export interface ImagesResult {
  rows: GeneratedRow[]
  replaced: OutputPlan['replaced']
  added: OutputPlan['added']
  report: AugmentReport
}

export async function augmentImages(db: DuckSession, source: Source, config: ImagesConfig, ctx: AugmentContext): Promise<ImagesResult> {
  checkImageDataset(source.schema, config)
  const images = await readImages(db, source)
  const counts = labelCounts(images)
  for (const label of [...config.labels, ...(config.defects ? [config.defects.goodLabel] : [])]) {
    if (!counts.has(label)) throw new StepError(`Label ${JSON.stringify(label)} is not in the dataset; its labels are ${listed([...counts.keys()])}.`)
  }
  const jobs = planJobs(images, counts, config)
  const total = jobs.reduce((sum, job) => sum + job.copies + job.defects, 0)
  const made: GeneratedRow[][] = new Array(jobs.length)
  let done = 0
  await forEachBounded(jobs, imageConcurrency, ctx.signal, async (job, i) => {
    made[i] = await runJob(job, config, ctx)
    done += job.copies + job.defects
    ctx.progress(0.05 + 0.85 * (done / Math.max(1, total)), `${done} of ${total} images`)
  })
  const rows = made.flat()
  const hasBoxes = source.schema.some((c) => c.name === imageColumns.boxes)
  return {
    rows,
    replaced: { image: 'VARCHAR', label: 'VARCHAR', boxes: boxesType },
    added: hasBoxes ? {} : { boxes: { type: boxesType, inputValue: `CAST([] AS ${boxesType})` } },
    report: imagesReport(source, counts, rows),
  }
}

function checkImageDataset(schema: readonly DatasetColumn[], config: ImagesConfig): void {
  if (!isImageDataset(schema)) {
    throw new StepError(
      `Image mode needs an image dataset (an "image" text column of image ids and a "label" column); this dataset has ${listed(schema.map((c) => c.name))}. ` +
        `For a table, use mode 'tabular'.`,
    )
  }
  const label = schema.find((c) => c.name === imageColumns.label)!
  if (config.defects && label.type !== 'VARCHAR') {
    throw new StepError(`Painted defects get a text label, but this dataset's "label" column is ${label.type}.`)
  }
}

function listed(values: readonly string[]): string {
  const shown = values.slice(0, 20).map((v) => JSON.stringify(v)).join(', ')
  return values.length > 20 ? `${shown} and ${values.length - 20} more` : shown
}

async function readImages(db: DuckSession, source: Source): Promise<SourceImage[]> {
  const hasBoxes = source.schema.some((c) => c.name === imageColumns.boxes)
  const rows = await db.rows(
    `SELECT ${quoteIdent(source.position)} AS pos, image, width, height, CAST(label AS VARCHAR) AS label${hasBoxes ? ', boxes' : ''} ` +
      `FROM ${sourceTable} ORDER BY pos`,
  )
  return rows.map((r) => {
    const position = Number(r.pos)
    const width = Number(r.width)
    const height = Number(r.height)
    if (typeof r.image !== 'string' || !(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
      throw new StepError(`Row ${position} has no image or no declared size (image ${JSON.stringify(r.image)}, ${r.width}×${r.height}).`)
    }
    const boxes = Array.isArray(r.boxes) ? (r.boxes as unknown as Box[]) : []
    return { position, image: r.image, width, height, label: r.label === null ? '' : String(r.label), boxes }
  })
}

function labelCounts(images: readonly SourceImage[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const image of images) counts.set(image.label, (counts.get(image.label) ?? 0) + 1)
  return new Map([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)))
}

/** Copies per image: fixed, or shared out so each chosen label reaches `targetPerLabel`. */
function planJobs(images: readonly SourceImage[], counts: Map<string, number>, config: ImagesConfig): Job[] {
  const chosen = (label: string) => config.ops.length > 0 && (config.labels.length === 0 || config.labels.includes(label))
  const seen = new Map<string, number>()
  return images.flatMap((source) => {
    const nth = seen.get(source.label) ?? 0
    seen.set(source.label, nth + 1)
    let copies = 0
    if (chosen(source.label)) {
      if (config.targetPerLabel === undefined) copies = config.copies
      else {
        const have = counts.get(source.label)!
        const need = Math.max(0, config.targetPerLabel - have)
        copies = Math.floor(need / have) + (nth < need % have ? 1 : 0)
      }
    }
    const defects = config.defects && source.label === config.defects.goodLabel ? config.defects.perImage : 0
    return copies + defects > 0 ? [{ source, copies, defects }] : []
  })
}

async function runJob(job: Job, config: ImagesConfig, ctx: AugmentContext): Promise<GeneratedRow[]> {
  const { source } = job
  ctx.signal.throwIfAborted()
  const bytes = await ctx.readBlob(source.image).catch((error: unknown) => {
    throw new StepError(`The image of row ${source.position} (${source.image}) is not in the artifact store.`, { cause: error })
  })
  let original: Frame
  try {
    original = { image: await decodeImage(bytes, source.width, source.height), boxes: source.boxes }
  } catch (error) {
    throw new StepError(`The image of row ${source.position} (${source.image}) cannot be read: ${(error as Error).message}`)
  }
  const rows: GeneratedRow[] = []
  for (let copy = 0; copy < job.copies; copy++) {
    const { frame, names } = await augmentCopy(original, config, source.position, copy)
    rows.push(await keep(ctx, source, frame, source.label, names))
  }
  for (let d = 0; d < job.defects; d++) {
    const rng = rngFor(config.seed, source.position, 'defect', d)
    const kind = rng.pick(config.defects!.kinds)
    const frame = injectDefect(original, kind, rng)
    rows.push(await keep(ctx, source, frame, kind, [`defect(${kind})`]))
  }
  return rows
}

/** The ops in order, each with its probability; if none fired, one picked at random, so no copy is a duplicate. */
async function augmentCopy(original: Frame, config: ImagesConfig, position: number, copy: number): Promise<{ frame: Frame; names: string[] }> {
  let frame = original
  const names: string[] = []
  for (const [i, op] of config.ops.entries()) {
    const rng = rngFor(config.seed, position, copy, i)
    if (!rng.chance(op.p)) continue
    const applied = await applyOp(frame, op, rng)
    frame = applied.frame
    names.push(applied.name)
  }
  if (names.length === 0) {
    const pickRng = rngFor(config.seed, position, copy, 'forced')
    const i = pickRng.int(0, config.ops.length - 1)
    const applied = await applyOp(frame, config.ops[i]!, rngFor(config.seed, position, copy, i, 'forced'))
    frame = applied.frame
    names.push(applied.name)
  }
  return { frame, names }
}

async function keep(ctx: AugmentContext, source: SourceImage, frame: Frame, label: string, ops: string[]): Promise<GeneratedRow> {
  const image = await ctx.outputs.blob(await encodePng(frame.image), 'image/png')
  return { from: source.position, ops, values: { image, label, boxes: frame.boxes } }
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure stops the rest. */
async function forEachBounded<T>(items: readonly T[], limit: number, signal: AbortSignal, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  let failed = false
  const worker = async () => {
    while (!failed && next < items.length) {
      signal.throwIfAborted()
      const index = next++
      try {
        await work(items[index]!, index)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

function imagesReport(source: Source, counts: Map<string, number>, rows: readonly GeneratedRow[]): AugmentReport {
  const added = new Map<string, number>()
  const ops: Record<string, number> = {}
  for (const row of rows) {
    const label = String(row.values.label)
    added.set(label, (added.get(label) ?? 0) + 1)
    for (const name of row.ops) {
      const op = name.replace(/\(.*$/, '')
      const key = op === 'defect' ? `defect:${label}` : op
      ops[key] = (ops[key] ?? 0) + 1
    }
  }
  const labels = [...counts.keys(), ...[...added.keys()].filter((l) => !counts.has(l))]
  return {
    mode: 'images',
    rowsIn: source.rowCount,
    rowsAdded: rows.length,
    rowsOut: source.rowCount + rows.length,
    classes: labels.map((label) => {
      const before = counts.get(label) ?? 0
      const plus = added.get(label) ?? 0
      return { label, before, added: plus, after: before + plus }
    }),
    ops,
    notes: [],
  }
}
