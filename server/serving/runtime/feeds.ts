// Checks one request's tensors against the model's inputs before they are queued: a request that
// would only fail inside onnxruntime still may (its reason is passed on), but nothing reaches a
// batch that could misalign its neighbours' rows (a wrong length, a wrong array kind, a row count
// that differs between inputs).
import type { Feeds, TensorData, ValueInfo } from '@/nodes/_lib/models/session-thread/session-thread'
import { InvalidFeedsError } from './errors'

/** What an input takes: its element type and shape (a string or negative dimension is dynamic). */
export interface InputSpec {
  name: string
  type: string | null
  shape: readonly (number | string)[] | null
}

/** A request ready for the queue: its rows (first dimension) and which requests it can share a run with. */
export interface CheckedFeeds {
  rows: number
  /** requests with the same key have the same inputs past the first dimension, so they concatenate */
  batchKey: string
}

type TypedArrayConstructor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | BigInt64ArrayConstructor
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | BigUint64ArrayConstructor

/** The array each onnxruntime element type takes (bool as bytes, float16 as its raw bits). */
const arrayOfType: Record<string, TypedArrayConstructor> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
  float16: Uint16Array,
}

export function isDynamicDim(dim: number | string | undefined): boolean {
  return typeof dim === 'string' || (typeof dim === 'number' && dim < 0)
}

/** Batching concatenates along the first dimension, so every input's first dimension must be free. */
export function batchDimensionIsDynamic(inputs: readonly InputSpec[]): boolean {
  return inputs.every((input) => input.shape !== null && input.shape.length > 0 && isDynamicDim(input.shape[0]))
}

export function inputSpecs(valueInfo: readonly ValueInfo[]): InputSpec[] {
  return valueInfo.map((v) => ({ name: v.name, type: v.type, shape: v.shape }))
}

export function checkFeeds(feeds: unknown, inputs: readonly InputSpec[]): CheckedFeeds {
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds)) throw new InvalidFeedsError('The inputs must be an object of tensors by input name.')
  const given = feeds as Record<string, unknown>
  const expected = new Set(inputs.map((i) => i.name))
  const unknown = Object.keys(given).filter((name) => !expected.has(name))
  if (unknown.length > 0) throw new InvalidFeedsError(`Unknown input ${quoteList(unknown)}; the model takes ${quoteList([...expected])}.`)
  const missing = inputs.filter((i) => given[i.name] === undefined).map((i) => i.name)
  if (missing.length > 0) throw new InvalidFeedsError(`Missing input ${quoteList(missing)}; the model takes ${quoteList([...expected])}.`)
  let rows: number | null = null
  const keyParts: string[] = []
  for (const input of inputs) {
    const dims = checkTensor(input, given[input.name])
    const first = dims[0] ?? 1
    if (rows !== null && first !== rows) throw new InvalidFeedsError(`Every input needs the same number of rows (first dimension): '${input.name}' has ${first}, an earlier input ${rows}.`)
    rows = first
    keyParts.push(dims.slice(1).join('x'))
  }
  return { rows: rows ?? 1, batchKey: keyParts.join('|') }
}

/** Checks one tensor and gives back its dimensions. */
function checkTensor(input: InputSpec, value: unknown): number[] {
  const where = `Input '${input.name}'`
  if (typeof value !== 'object' || value === null) throw new InvalidFeedsError(`${where} must be a tensor {type, data, dims}.`)
  const tensor = value as Partial<TensorData>
  if (typeof tensor.type !== 'string') throw new InvalidFeedsError(`${where} needs its element type.`)
  if (input.type !== null && tensor.type !== input.type) throw new InvalidFeedsError(`${where} takes ${input.type}, not ${tensor.type}.`)
  const dims = tensor.dims
  if (!Array.isArray(dims) || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new InvalidFeedsError(`${where} needs its dimensions as whole numbers ≥ 0.`)
  if (dims.length === 0 && input.shape?.length !== 0) throw new InvalidFeedsError(`${where} needs at least one dimension (the rows).`)
  if (input.shape !== null) checkShape(where, input.shape, dims)
  if (dims.length > 0 && dims[0] === 0) throw new InvalidFeedsError(`${where} has no rows.`)
  const size = dims.reduce((product, d) => product * d, 1)
  checkData(where, tensor.type, tensor.data, size)
  return dims
}

function checkShape(where: string, shape: readonly (number | string)[], dims: readonly number[]): void {
  if (dims.length !== shape.length) throw new InvalidFeedsError(`${where} has ${dims.length} dimensions [${dims.join(', ')}]; the model takes ${shape.length}: [${shape.join(', ')}].`)
  shape.forEach((dim, axis) => {
    if (!isDynamicDim(dim) && dims[axis] !== dim) throw new InvalidFeedsError(`${where} has size ${dims[axis]} in dimension ${axis}; the model takes [${shape.join(', ')}].`)
  })
}

function checkData(where: string, type: string, data: unknown, size: number): void {
  if (type === 'string') {
    if (!Array.isArray(data) || !data.every((v) => typeof v === 'string')) throw new InvalidFeedsError(`${where} (string) needs its data as an array of strings.`)
  } else {
    const kind = arrayOfType[type]
    if (!kind) throw new InvalidFeedsError(`${where} has element type '${type}', which the serving runtime does not take.`)
    if (!(data instanceof kind)) throw new InvalidFeedsError(`${where} (${type}) needs its data as a ${kind.name}.`)
  }
  const length = (data as ArrayLike<unknown>).length
  if (length !== size) throw new InvalidFeedsError(`${where} has ${length} values; its dimensions make ${size}.`)
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ')
}

/** Narrows a checked tensor's data for concatenation. */
export function isTypedArray(data: TensorData['data']): data is InstanceType<TypedArrayConstructor> {
  return ArrayBuffer.isView(data)
}

export type { Feeds }
