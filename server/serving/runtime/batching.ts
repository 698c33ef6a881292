// Micro-batching's arithmetic: requests' tensors concatenated along the first dimension into one
// session call, and the call's outputs cut back into each request's rows.
import type { Feeds, Outputs, TensorData } from '@/nodes/_lib/models/session-thread/session-thread'
import { isTypedArray } from './feeds'

/** Concatenates checked feeds that share a batch key (same inputs, same dimensions past the first). */
export function concatFeeds(requests: readonly Feeds[]): Feeds {
  const first = requests[0]
  if (!first) throw new Error('concatFeeds needs at least one request')
  if (requests.length === 1) return first
  const feeds: Feeds = {}
  for (const [name, sample] of Object.entries(first)) {
    const parts = requests.map((r) => r[name]!)
    const rows = parts.reduce((sum, t) => sum + (t.dims[0] ?? 0), 0)
    feeds[name] = { type: sample.type, data: concatData(parts.map((t) => t.data)), dims: [rows, ...sample.dims.slice(1)] }
  }
  return feeds
}

function concatData(parts: readonly TensorData['data'][]): TensorData['data'] {
  const first = parts[0]!
  if (!isTypedArray(first)) return parts.flatMap((p) => Array.from(p as ArrayLike<unknown>)) as TensorData['data']
  const length = parts.reduce((sum, p) => sum + p.length, 0)
  const Kind = first.constructor as new (length: number) => typeof first
  const out = new Kind(length)
  let offset = 0
  for (const part of parts) {
    // parts sharing a batch key share an element type (checked on arrival)
    ;(out as { set(values: ArrayLike<unknown>, offset: number): void }).set(part as ArrayLike<unknown>, offset)
    offset += part.length
  }
  return out
}

/**
 * Cuts a batch's outputs into each request's rows, in order. Null when an output does not follow
 * the batch (its first dimension is not the total of the rows): such a model cannot be batched.
 */
export function splitOutputs(outputs: Outputs, rowCounts: readonly number[]): Outputs[] | null {
  if (rowCounts.length === 1) return [outputs]
  const total = rowCounts.reduce((sum, r) => sum + r, 0)
  const answers: Outputs[] = rowCounts.map(() => ({}))
  for (const [name, tensor] of Object.entries(outputs)) {
    if (tensor.dims[0] !== total) return null
    const perRow = tensor.dims.slice(1).reduce((product, d) => product * d, 1)
    if ((tensor.data as ArrayLike<unknown>).length !== total * perRow) return null
    let row = 0
    rowCounts.forEach((rows, i) => {
      answers[i]![name] = { type: tensor.type, data: sliceData(tensor.data, row * perRow, (row + rows) * perRow), dims: [rows, ...tensor.dims.slice(1)] }
      row += rows
    })
  }
  return answers
}

/** A copy, not a view: each answer owns its memory and does not keep the whole batch's alive. */
function sliceData(data: TensorData['data'], start: number, end: number): TensorData['data'] {
  if (isTypedArray(data)) return data.slice(start, end)
  return Array.prototype.slice.call(data, start, end) as TensorData['data']
}
