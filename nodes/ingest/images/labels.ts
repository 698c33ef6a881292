// Where each image's label comes from: its folder (one folder per label), or a labels.csv.
import { StepError } from '../../contract'
import type { Box } from '../../_lib/image-dataset'
import type { ListedFile } from './archive'
import { parseCsv } from './csv'

export interface Labelled {
  label: string
  /** boxes from labels.csv, in pixels; checked against the image's size once it is read */
  boxes: Box[]
}

/** How the archive's files get their labels; `problems` are rows of labels.csv that name no usable file. */
export interface Labelling {
  layout: 'folders' | 'labels.csv'
  csv: ListedFile | null
  labelOf(file: ListedFile): Labelled | { problem: string }
  /** files labels.csv names that the archive lacks, and rows it cannot use */
  problems(present: ReadonlySet<string>): { file: string; reasons: string[] }[]
}

const fileColumns = ['file', 'filename', 'file_name', 'path', 'image']
const labelColumns = ['label', 'class']

/** The shallowest `labels.csv` (any case) decides the layout; without one, folders do. */
export function findLabelsCsv(files: readonly ListedFile[]): ListedFile | null {
  const candidates = files.filter((f) => f.segments.at(-1)!.toLowerCase() === 'labels.csv')
  candidates.sort((a, b) => a.segments.length - b.segments.length || a.path.localeCompare(b.path))
  return candidates[0] ?? null
}

/**
 * One folder per label, as Keras' image_dataset_from_directory reads it: an image's label is the
 * first folder under the root, whatever folders lie below it. A single top folder holding those
 * label folders (what zipping a folder makes) is skipped.
 */
export function folderLabelling(files: readonly ListedFile[]): Labelling {
  const tops = new Set(files.map((f) => (f.segments.length > 1 ? f.segments[0] : '')))
  const wrapped = tops.size === 1 && !tops.has('') && files.some((f) => f.segments.length > 2)
  const depth = wrapped ? 1 : 0
  return {
    layout: 'folders',
    csv: null,
    labelOf(file) {
      const inner = file.segments.slice(depth)
      if (inner.length < 2) {
        return { problem: `is not inside a label folder; put each image in a folder named after its label, or add a labels.csv` }
      }
      return { label: inner[0]!, boxes: [] }
    },
    problems: () => [],
  }
}

interface CsvRecord {
  line: number
  label: string
  boxes: Box[]
  /** what is wrong with this file's rows (a box that is not numbers) */
  problems: string[]
}

/** labels.csv: a file column and a label column; optional x, y, w, h (one box per row) or a `boxes` JSON column. */
export function csvLabelling(csv: ListedFile, text: string): Labelling {
  const [header, ...rows] = parseCsv(text)
  if (!header) throw new StepError(`${csv.path} is empty; it needs a header with a file column and a label column.`)
  const names = header.cells.map((c) => c.trim().toLowerCase())
  const fileAt = names.findIndex((n) => fileColumns.includes(n))
  const labelAt = names.findIndex((n) => labelColumns.includes(n))
  if (fileAt < 0 || labelAt < 0) {
    throw new StepError(
      `${csv.path} needs a ${fileAt < 0 ? 'file column (file, filename or path)' : 'label column (label or class)'}; ` +
        `its header is: ${header.cells.map((c) => JSON.stringify(c)).join(', ')}.`,
    )
  }
  const boxAt = ['x', 'y', 'w', 'h'].map((n) => names.indexOf(n))
  const hasBoxColumns = boxAt.every((i) => i >= 0)
  const boxesAt = names.indexOf('boxes')
  const folder = csv.segments.slice(0, -1)
  const records = new Map<string, CsvRecord>()
  const bad: { file: string; reasons: string[] }[] = []

  for (const row of rows) {
    const cell = (i: number) => (row.cells[i] ?? '').trim()
    const name = cell(fileAt)
    const where = `${csv.path} line ${row.line}`
    if (name === '') {
      bad.push({ file: where, reasons: [`${where} has no file name`] })
      continue
    }
    const key = [...folder, ...name.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.')].join('/')
    const label = cell(labelAt)
    const boxes = readBoxes(hasBoxColumns ? boxAt.map(cell) : null, boxesAt >= 0 ? cell(boxesAt) : '', label)
    // several rows for one file: one box each (detection data sets are written this way)
    const record = records.get(key) ?? { line: row.line, label, boxes: [], problems: [] }
    records.set(key, record)
    if (typeof boxes === 'string') record.problems.push(`${where}: ${boxes}`)
    else record.boxes.push(...boxes)
  }

  return {
    layout: 'labels.csv',
    csv,
    labelOf(file) {
      const record = records.get(file.path)
      if (!record) return { problem: `is not listed in ${csv.path}` }
      if (record.problems.length > 0) return { problem: record.problems.join('; ') }
      if (record.label === '') return { problem: `has an empty label in ${csv.path} (line ${record.line})` }
      return { label: record.label, boxes: record.boxes }
    },
    problems(present) {
      const missing = [...records.entries()]
        .filter(([key]) => !present.has(key))
        .map(([key, record]) => ({ file: key, reasons: [`is listed in ${csv.path} (line ${record.line}) but is not in the archive`] }))
      return [...bad, ...missing]
    },
  }
}

/** A row's boxes, or what is wrong with them. Empty box cells mean an image-level label only. */
function readBoxes(xywh: string[] | null, json: string, label: string): Box[] | string {
  const boxes: Box[] = []
  if (xywh && xywh.some((v) => v !== '')) {
    const numbers = xywh.map(Number)
    if (xywh.some((v) => v === '') || numbers.some((n) => !Number.isFinite(n))) {
      return `the box columns x, y, w, h must all be numbers (got ${xywh.map((v) => JSON.stringify(v)).join(', ')})`
    }
    const [x, y, w, h] = numbers as [number, number, number, number]
    boxes.push({ label, x, y, w, h })
  }
  if (json !== '') {
    let parsed: unknown
    try {
      parsed = JSON.parse(json)
    } catch {
      return `the boxes column is not JSON (${JSON.stringify(json.slice(0, 40))})`
    }
    if (!Array.isArray(parsed)) return 'the boxes column must be a JSON list of {"x", "y", "w", "h"} objects'
    for (const [i, item] of parsed.entries()) {
      const box = item as Partial<Record<'x' | 'y' | 'w' | 'h' | 'label', unknown>> | null
      const values = box ? [box.x, box.y, box.w, box.h] : []
      if (!box || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) return `box ${i + 1} in the boxes column needs numbers x, y, w, h`
      const [x, y, w, h] = values as [number, number, number, number]
      boxes.push({ label: typeof box.label === 'string' && box.label !== '' ? box.label : label, x, y, w, h })
    }
  }
  return boxes
}

/** Boxes must have a size and lie inside the image. */
export function boxProblems(boxes: readonly Box[], width: number, height: number): string[] {
  return boxes.flatMap((b, i) => {
    if (!(b.w > 0 && b.h > 0)) return [`box ${i + 1} (${b.label}) has no area (w ${b.w}, h ${b.h})`]
    if (b.x < 0 || b.y < 0 || b.x + b.w > width || b.y + b.h > height) {
      return [`box ${i + 1} (${b.label}) at x ${b.x}, y ${b.y}, w ${b.w}, h ${b.h} lies outside the ${width}×${height} image`]
    }
    return []
  })
}
