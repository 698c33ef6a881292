// A V2 tensor's JSON `data` as the typed array onnxruntime-node takes: flattened in row-major order
// (the spec allows nested arrays too), every element checked against its datatype. JSON cannot
// carry NaN or Infinity, and numeric text is not a number here: a client that sends "NaN" or "3"
// in a number tensor has a bug we should name, not guess around.
import type { TensorType } from '@/nodes/_lib/models/metadata'
import type { TensorData } from '@/nodes/_lib/models/session-thread/session-thread'
import { BadRequestError } from '@/server/http/errors'

/** Largest finite float32; beyond it a JSON number would become Infinity in the tensor. */
const maxFloat32 = 3.4028234663852886e38

/** What the model's input type takes, and how a JSON element becomes it. */
interface ElementRule {
  kind: string
  /** a reason the element is refused, or null */
  check(value: unknown): string | null
}

const integerRange = (min: number, max: number, note: string): ElementRule => ({
  kind: 'integers',
  check: (v) => {
    if (typeof v !== 'number') return wrongKind(v, 'integers')
    if (!Number.isFinite(v)) return 'is not a finite number'
    if (!Number.isInteger(v)) return `is ${v}, not an integer`
    if (v < min || v > max) return `is ${v}, out of range (${note})`
    return null
  },
})

const rules: Record<TensorType, ElementRule> = {
  float32: {
    kind: 'numbers',
    check: (v) => {
      if (typeof v !== 'number') return wrongKind(v, 'numbers')
      if (!Number.isFinite(v)) return `is ${v}; JSON cannot carry NaN or Infinity`
      if (Math.abs(v) > maxFloat32) return `is ${v}, beyond the float32 range (±3.4e38)`
      return null
    },
  },
  float64: {
    kind: 'numbers',
    check: (v) => (typeof v !== 'number' ? wrongKind(v, 'numbers') : Number.isFinite(v) ? null : `is ${v}; JSON cannot carry NaN or Infinity`),
  },
  // a JSON number beyond 2^53 has already lost its exact value when the body was parsed
  int64: integerRange(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'a JSON number holds an INT64 exactly only within ±(2^53 − 1)'),
  int32: integerRange(-(2 ** 31), 2 ** 31 - 1, 'INT32 holds −2147483648…2147483647'),
  uint8: integerRange(0, 255, 'UINT8 holds 0…255'),
  bool: { kind: 'booleans (true or false)', check: (v) => (typeof v === 'boolean' ? null : wrongKind(v, 'booleans (true or false)')) },
  string: { kind: 'strings', check: (v) => (typeof v === 'string' ? null : wrongKind(v, 'strings')) },
}

function wrongKind(value: unknown, kind: string): string {
  const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'string' ? `the text ${preview(value)}` : `${typeof value === 'object' ? 'an object' : `the ${typeof value} ${preview(value)}`}`
  return `is ${what}, but this tensor takes ${kind}${typeof value === 'string' && kind !== 'strings' ? ' as JSON values, not text' : ''}`
}

export function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 37)}…` : text
}

/** Checks every element, then copies them into the array onnxruntime-node takes for `type`. */
export function toTensorData(inputName: string, type: TensorType, flat: readonly unknown[]): TensorData['data'] {
  const rule = rules[type]
  for (let i = 0; i < flat.length; i++) {
    const problem = rule.check(flat[i])
    if (problem) throw new BadRequestError(`Input "${inputName}": element ${i} (row-major) ${problem}.`)
  }
  switch (type) {
    case 'float32':
      return Float32Array.from(flat as number[])
    case 'float64':
      return Float64Array.from(flat as number[])
    case 'int64':
      return BigInt64Array.from(flat as number[], (v) => BigInt(v))
    case 'int32':
      return Int32Array.from(flat as number[])
    case 'uint8':
      return Uint8Array.from(flat as number[])
    // onnxruntime takes a bool tensor as one byte per element
    case 'bool':
      return Uint8Array.from(flat as boolean[], (v) => (v ? 1 : 0))
    case 'string':
      return [...(flat as string[])]
  }
}

/**
 * The elements of `data` in row-major order. Flat data is taken as it is; nested data must follow
 * the shape: an array of arrays at depth d has shape[d] of them, an array of elements at depth d
 * holds the product of the remaining dimensions (so [[1, 2, 3, 4]] fits [1, 4] and [[1, 2], [3, 4]]
 * fits [2, 2], but a ragged [[1, 2, 3], [4]] fits nothing), so nested data never holds more
 * elements than its shape has.
 */
export function flattenData(inputName: string, data: readonly unknown[], shape: readonly number[]): unknown[] {
  if (!data.some(Array.isArray)) return data as unknown[]
  const out: unknown[] = []
  const stack: { items: readonly unknown[]; at: number; index: number[] }[] = []
  const enter = (items: readonly unknown[], index: number[]) => {
    const depth = index.length
    const nested = items.length > 0 && Array.isArray(items[0])
    if (nested && depth >= shape.length - 1) throw new BadRequestError(`Input "${inputName}": data${at(index)} nests deeper than its shape [${shape.join(', ')}] has dimensions.`)
    const needed = nested ? shape[depth]! : product(shape.slice(depth))
    if (items.length !== needed) throw new BadRequestError(`Input "${inputName}": data${at(index)} has ${items.length} ${nested ? 'arrays' : 'elements'}, but shape [${shape.join(', ')}] needs ${needed} there.`)
    stack.push({ items, at: 0, index })
  }
  enter(data, [])
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    if (top.at >= top.items.length) {
      stack.pop()
      continue
    }
    const position = top.at++
    const item = top.items[position]
    const nested = Array.isArray(top.items[0])
    if (Array.isArray(item) !== nested) throw new BadRequestError(`Input "${inputName}": data${at([...top.index, position])} mixes arrays and elements at one level.`)
    if (Array.isArray(item)) enter(item, [...top.index, position])
    else out.push(item)
  }
  return out
}

function at(index: readonly number[]): string {
  return index.map((i) => `[${i}]`).join('')
}

/** The number of elements of a shape; Infinity once it passes 2^53 (no tensor is that big). */
export function product(shape: readonly number[]): number {
  let n = 1
  for (const d of shape) {
    n *= d
    if (n > Number.MAX_SAFE_INTEGER) return Number.POSITIVE_INFINITY
  }
  return n
}
