// Tabular preprocessing learned from the training rows and baked into the ONNX graph: numbers are
// imputed with the training mean and standardised (as sklearn's StandardScaler, population std),
// categories are one-hot encoded in the order of their training category list. The same steps as
// a pure TS function (`preprocessRows`) give trainers the exact numbers the graph computes.
//
// Operators: IsNaN, Where, Sub, Div, Reshape, Concat (ai.onnx 17) and OneHotEncoder (ai.onnx.ml 1).
// `Equal` on strings would need ai.onnx 19; OneHotEncoder with zeros=1 maps an unknown or empty
// string to all zeros and runs in onnxruntime-node and onnxruntime-web 1.30 alike (tested).
import { z } from 'zod'
import type { Feature, TensorSignature } from '@/nodes/_lib/models/metadata'
import { attr, floatTensor, int64Tensor, node, prefixer, type Subgraph } from './builder'
import { preprocessPrefix, type PreprocessGraph } from './preprocess-graph'

export const fittedColumnSchema = z.discriminatedUnion('kind', [
  z.object({ name: z.string().min(1).max(256), kind: z.literal('number'), mean: z.number(), std: z.number().positive() }),
  z.object({ name: z.string().min(1).max(256), kind: z.literal('category'), categories: z.array(z.string().min(1).max(1000)).max(10_000) }),
])
export type FittedColumn = z.infer<typeof fittedColumnSchema>

/** What `fitTabularPreprocess` learned; plain JSON, so it can be stored beside the model. */
export const fittedTabularSchema = z.object({ columns: z.array(fittedColumnSchema).min(1) })
export type FittedTabular = z.infer<typeof fittedTabularSchema>

/** A feature to fit: its column and kind (a category's list is learned, whatever it says). */
export type TabularFeatureSpec = { name: string; kind: 'number' | 'category' }

export type TabularRow = Readonly<Record<string, unknown>>

export interface FitOptions {
  /** keep at most this many categories per column, the most frequent (ties by value) */
  maxCategories?: number
}

/** Decimal text as DuckDB's TRY_CAST to DOUBLE reads it: an optional sign, digits, a point, an exponent. */
const numericText = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/**
 * How a raw cell becomes the graph's float32 input, the one rule for training, evaluate (its SQL
 * casts with TRY_CAST, which agrees) and serving: numbers as they are, decimal text as its number
 * ("3.5", " 1e3 "), booleans as 1 and 0; anything else (null, other text) as missing (NaN), which
 * the graph imputes with the mean.
 */
export function numberInput(value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string') {
    const text = value.trim()
    return numericText.test(text) ? Number(text) : Number.NaN
  }
  return Number.NaN
}

/** How a raw cell becomes the graph's string input: missing is '', which encodes as all zeros. */
export function categoryInput(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  return ''
}

export function fitTabularPreprocess(rows: readonly TabularRow[], features: readonly TabularFeatureSpec[], options: FitOptions = {}): FittedTabular {
  if (features.length === 0) throw new Error('tabular preprocessing needs at least one feature')
  const columns = features.map((f): FittedColumn =>
    f.kind === 'number' ? fitNumber(rows, f.name) : { name: f.name, kind: 'category', categories: fitCategories(rows, f.name, options.maxCategories ?? 1000) },
  )
  return { columns }
}

function fitNumber(rows: readonly TabularRow[], name: string): FittedColumn {
  let count = 0
  let sum = 0
  for (const row of rows) {
    const v = numberInput(row[name])
    if (Number.isFinite(v)) (count += 1), (sum += v)
  }
  const mean = count === 0 ? 0 : sum / count
  let squares = 0
  for (const row of rows) {
    const v = numberInput(row[name])
    if (Number.isFinite(v)) squares += (v - mean) ** 2
  }
  const std = count === 0 ? 0 : Math.sqrt(squares / count)
  // a constant column would divide by zero; sklearn scales it by 1 too
  return { name, kind: 'number', mean, std: std > 0 && Number.isFinite(std) ? std : 1 }
}

/** Longer values are left out (encoded as unknown): the model metadata caps a category's length. */
export const maxCategoryLength = 1000

/** Sorted as sklearn's OneHotEncoder sorts them; '' is missing, never a category. */
function fitCategories(rows: readonly TabularRow[], name: string, max: number): string[] {
  const counts = new Map<string, number>()
  for (const row of rows) {
    const v = categoryInput(row[name])
    if (v !== '' && v.length <= maxCategoryLength) counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  const byValue = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  const kept = [...counts.entries()].sort((a, b) => b[1] - a[1] || byValue(a[0], b[0])).slice(0, max)
  return kept.map(([v]) => v).sort(byValue)
}

/** Width of the `features` row: one per number, one per category value. */
export function featureWidth(fitted: FittedTabular): number {
  return fitted.columns.reduce((w, c) => w + (c.kind === 'number' ? 1 : c.categories.length), 0)
}

/** The metadata's view of the fitted features. */
export function fittedFeatures(fitted: FittedTabular): Feature[] {
  return fitted.columns.map((c): Feature => (c.kind === 'number' ? { name: c.name, kind: 'number' } : { name: c.name, kind: 'category', categories: c.categories }))
}

export function tabularInputSignatures(fitted: FittedTabular): TensorSignature[] {
  return fitted.columns.map((c) => ({ name: c.name, type: c.kind === 'number' ? 'float32' : 'string', shape: ['N', 1] }))
}

export type TabularInputs = Record<string, { type: 'float32'; data: Float32Array; dims: [number, 1] } | { type: 'string'; data: string[]; dims: [number, 1] }>

/** The graph's raw inputs for some rows, runtime-free: wrap each in an ort.Tensor to feed a session. */
export function tabularInputs(rows: readonly TabularRow[], fitted: FittedTabular): TabularInputs {
  const inputs: TabularInputs = {}
  for (const c of fitted.columns) {
    inputs[c.name] =
      c.kind === 'number'
        ? { type: 'float32', data: Float32Array.from(rows, (r) => numberInput(r[c.name])), dims: [rows.length, 1] }
        : { type: 'string', data: rows.map((r) => categoryInput(r[c.name])), dims: [rows.length, 1] }
  }
  return inputs
}

/**
 * The graph's `features` for some rows, row-major [N, F], computed as the graph does in float32
 * (each step rounded with Math.fround), so training sees the numbers serving will.
 */
export function preprocessRows(rows: readonly TabularRow[], fitted: FittedTabular): Float32Array {
  const width = featureWidth(fitted)
  const out = new Float32Array(rows.length * width)
  rows.forEach((row, r) => {
    let col = r * width
    for (const c of fitted.columns) {
      if (c.kind === 'number') {
        out[col] = standardise(numberInput(row[c.name]), c.mean, c.std)
        col += 1
      } else {
        const index = c.categories.indexOf(categoryInput(row[c.name]))
        if (index >= 0) out[col + index] = 1
        col += c.categories.length
      }
    }
  })
  return out
}

function standardise(value: number, mean: number, std: number): number {
  const m = Math.fround(mean)
  const x = Math.fround(value)
  const imputed = Number.isNaN(x) ? m : x
  return Math.fround(Math.fround(imputed - m) / Math.fround(std))
}

/** The preprocessing nodes: one input per column, named exactly as the column, to float32 [N, F]. */
export function tabularPreprocessGraph(fitted: FittedTabular): PreprocessGraph {
  const width = featureWidth(fitted)
  if (width === 0) throw new Error('tabular preprocessing has no feature columns: every category column is empty')
  const graph: Subgraph = { nodes: [], initializers: [], opsets: { '': 17 } }
  const output = `${preprocessPrefix}/features`
  const parts: string[] = []
  // names numbered by position: column names may hold any text, inner names must not clash
  fitted.columns.forEach((c, i) => {
    const name = prefixer(`${preprocessPrefix}/${i}`)
    if (c.kind === 'number') parts.push(numberNodes(graph, c, name))
    else if (c.categories.length > 0) parts.push(categoryNodes(graph, c, name))
  })
  graph.nodes.push(node('Concat', parts, [output], { attributes: [attr.int('axis', 1)] }))
  return { inputs: tabularInputSignatures(fitted), features: fittedFeatures(fitted), output, featureShape: [width], graph }
}

function numberNodes(graph: Subgraph, c: Extract<FittedColumn, { kind: 'number' }>, name: (n: string) => string): string {
  graph.initializers.push(floatTensor(name('mean'), [], [c.mean]), floatTensor(name('std'), [], [c.std]))
  graph.nodes.push(
    node('IsNaN', [c.name], [name('missing')]),
    node('Where', [name('missing'), name('mean'), c.name], [name('imputed')]),
    node('Sub', [name('imputed'), name('mean')], [name('centred')]),
    node('Div', [name('centred'), name('std')], [name('scaled')]),
  )
  return name('scaled')
}

function categoryNodes(graph: Subgraph, c: Extract<FittedColumn, { kind: 'category' }>, name: (n: string) => string): string {
  graph.opsets['ai.onnx.ml'] = 1
  // 0 copies the batch size from the input (works for an empty batch too, where -1 would not)
  graph.initializers.push(int64Tensor(name('shape'), [2], [0, c.categories.length]))
  graph.nodes.push(
    // [N, 1] strings → [N, 1, K] float; zeros=1: an unknown value is all zeros instead of an error
    node('OneHotEncoder', [c.name], [name('onehot')], {
      domain: 'ai.onnx.ml',
      attributes: [attr.strings('cats_strings', c.categories), attr.int('zeros', 1)],
    }),
    node('Reshape', [name('onehot'), name('shape')], [name('encoded')]),
  )
  return name('encoded')
}
