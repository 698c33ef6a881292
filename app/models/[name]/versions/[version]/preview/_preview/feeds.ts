// What the preview's form shows and what it feeds the model, from the version's metadata alone:
// one field per raw input value (a number field per element of a number input, a select per
// category input), prefilled from the training data's reference profile, and the tensors
// serving would build from the same record (float32 NaN for a missing number, '' for a
// missing category). Pure, so it is unit-tested without a browser.
import type { FeatureProfile, ModelMetadata, TensorSignature, TensorType } from '@/nodes/_lib/models/metadata'

export interface NumberRange {
  min: number
  max: number
  mean: number
}

export interface NumberField {
  kind: 'number'
  /** unique among the fields; also the form control's id suffix */
  id: string
  /** the ONNX input (the dataset column) it feeds */
  input: string
  /** the element of that input, for inputs wider than one value */
  element: number
  label: string
  range: NumberRange | null
  initial: string
}

export interface CategoryField {
  kind: 'category'
  id: string
  input: string
  label: string
  /** the training categories, most frequent first when the profile says */
  categories: string[]
  initial: string
}

export type FormField = NumberField | CategoryField

/** One tensor as onnxruntime takes it; typed arrays match `type`. */
export interface FeedTensor {
  type: TensorType
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[]
  dims: number[]
}

/** What the server's predict route takes for one row: a value per column (null = missing). */
export type RecordValue = number | string | null | (number | null)[]

export interface TabularFeeds {
  feeds: Record<string, FeedTensor>
  record: Record<string, RecordValue>
  /** by field id: why its text is no number */
  errors: Record<string, string>
}

/** The input's shape for one row: the batch dimension 1, any other dynamic dimension 1. */
export function rowDims(input: TensorSignature): number[] {
  if (input.shape.length === 0) return [1]
  return input.shape.map((d, i) => (i === 0 ? 1 : typeof d === 'number' && d > 0 ? d : 1))
}

function elementCount(input: TensorSignature): number {
  return rowDims(input).reduce((a, b) => a * b, 1)
}

/** Short, exact enough to read and to type back: 6 significant digits, no trailing zeros. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return ''
  return String(Number(value.toPrecision(6)))
}

function profileOf(metadata: ModelMetadata, name: string): FeatureProfile | undefined {
  return metadata.referenceProfile?.find((p) => p.name === name)
}

/** The form for a tabular model: every input that is not an image, in the model's input order. */
export function formFields(metadata: ModelMetadata): FormField[] {
  const fields: FormField[] = []
  for (const input of metadata.inputs) {
    if (isImageInput(metadata, input)) continue
    const feature = metadata.features.find((f) => f.name === input.name)
    const profile = profileOf(metadata, input.name)
    if (input.type === 'string' || feature?.kind === 'category') {
      const counted = profile?.kind === 'category' ? [...profile.categories].sort((a, b) => b.count - a.count).map((c) => c.value) : []
      const listed = feature?.kind === 'category' ? feature.categories : []
      const categories = [...new Set([...counted, ...listed])].filter((c) => c !== '')
      fields.push({ kind: 'category', id: `f${fields.length}`, input: input.name, label: input.name, categories, initial: categories[0] ?? '' })
      continue
    }
    const range = profile?.kind === 'number' ? { min: profile.min, max: profile.max, mean: profile.mean } : null
    const count = elementCount(input)
    for (let element = 0; element < count; element++) {
      fields.push({
        kind: 'number',
        id: `f${fields.length}`,
        input: input.name,
        element,
        label: count > 1 ? `${input.name}[${element}]` : input.name,
        range,
        initial: range ? formatNumber(range.mean) : '0',
      })
    }
  }
  return fields
}

/** The image input of an image model, if it has one. */
export function imageInput(metadata: ModelMetadata): TensorSignature | undefined {
  return metadata.inputs.find((input) => isImageInput(metadata, input))
}

/** An image feature, or (an imported file with dynamic sides names none) a uint8 [N, H, W, 3] input. */
function isImageInput(metadata: ModelMetadata, input: TensorSignature): boolean {
  const feature = metadata.features.find((f) => f.name === input.name)
  return feature?.kind === 'image' || (input.type === 'uint8' && input.shape.length === 4 && input.shape[3] === 3)
}

/** Empty text is a missing value; anything else must read wholly as a finite number. */
export function parseNumberText(text: string): { value: number | null } | { error: string } {
  const trimmed = text.trim()
  if (trimmed === '') return { value: null }
  const value = Number(trimmed)
  if (!Number.isFinite(value)) return { error: `"${trimmed}" is not a number` }
  return { value }
}

/** A warning when a value lies outside what training saw: the model extrapolates there. */
export function rangeWarning(field: NumberField, text: string): string | null {
  const parsed = parseNumberText(text)
  if (!field.range || !('value' in parsed) || parsed.value === null) return null
  const { min, max } = field.range
  if (parsed.value < min || parsed.value > max) return `outside the training range ${formatNumber(min)} – ${formatNumber(max)}`
  return null
}

function numberTensor(type: TensorType, values: (number | null)[], dims: number[]): FeedTensor {
  const missing = (v: number | null) => (v === null ? Number.NaN : v)
  switch (type) {
    case 'float64':
      return { type, data: Float64Array.from(values, missing), dims }
    case 'int32':
      return { type, data: Int32Array.from(values, (v) => Math.trunc(v ?? 0)), dims }
    case 'int64':
      return { type, data: BigInt64Array.from(values, (v) => BigInt(Math.trunc(v ?? 0))), dims }
    case 'uint8':
    case 'bool':
      return { type, data: Uint8Array.from(values, (v) => Math.trunc(v ?? 0)), dims }
    default:
      return { type: 'float32', data: Float32Array.from(values, missing), dims }
  }
}

/** The form's texts (by field id) as one row of feeds, and as the record the server takes. */
export function tabularFeeds(metadata: ModelMetadata, fields: readonly FormField[], values: Record<string, string>): TabularFeeds {
  const feeds: Record<string, FeedTensor> = {}
  const record: Record<string, RecordValue> = {}
  const errors: Record<string, string> = {}
  for (const input of metadata.inputs) {
    const own = fields.filter((f) => f.input === input.name)
    if (own.length === 0) continue
    const dims = rowDims(input)
    const first = own[0]!
    if (first.kind === 'category') {
      const text = values[first.id] ?? first.initial
      feeds[input.name] = { type: 'string', data: [text], dims }
      record[input.name] = text === '' ? null : text
      continue
    }
    const numbers = own.map((field) => {
      const parsed = parseNumberText(values[field.id] ?? field.initial)
      if ('error' in parsed) {
        errors[field.id] = parsed.error
        return null
      }
      return parsed.value
    })
    feeds[input.name] = numberTensor(input.type, numbers, dims)
    record[input.name] = numbers.length === 1 ? numbers[0]! : numbers
  }
  return { feeds, record, errors }
}
