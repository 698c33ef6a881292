// The binary tensor data extension of the V2 protocol, as Triton and tritonclient speak it: the body
// is a JSON inference header (its length in `Inference-Header-Content-Length`) followed by the raw
// bytes of each input that says `"parameters": { "binary_data_size": n }`, in the order the inputs
// are listed. Elements are little-endian; a BYTES element is a 4-byte length and its bytes; a BOOL
// one byte. Answers come back the same way when the request asks for `binary_data_output` (or
// `binary_data` on an output). A 27,648-byte image is 27,648 bytes here, not 100 kB of JSON numbers
// to parse: this is the door for clients that care about throughput.
import type { TensorType } from '@/nodes/_lib/models/metadata'
import type { TensorData } from '@/nodes/_lib/models/session-thread/session-thread'
import { BadRequestError } from '@/server/http/errors'
import { parseJsonText } from '@/server/http/body'
import type { InferResponse } from './v2'

export const inferenceHeaderLength = 'inference-header-content-length'

const utf8 = new TextDecoder('utf-8', { fatal: true })
const utf8Encoder = new TextEncoder()

export interface BinaryBody {
  /** the JSON inference header, parsed and checked as JSON bodies are */
  header: unknown
  /** the bytes after it: every binary input's data, in order */
  tail: Uint8Array
}

/** Splits a binary-extension body at the length its header names. */
export function splitBinaryBody(body: Uint8Array, headerLength: string): BinaryBody {
  if (!/^\d{1,12}$/.test(headerLength.trim())) {
    throw new BadRequestError(`Inference-Header-Content-Length must be the byte length of the JSON header, a whole number; it is ${JSON.stringify(headerLength.slice(0, 40))}.`)
  }
  const length = Number(headerLength)
  if (length > body.byteLength) throw new BadRequestError(`Inference-Header-Content-Length is ${length}, but the body has only ${body.byteLength} bytes.`)
  let text: string
  try {
    text = utf8.decode(body.subarray(0, length))
  } catch {
    throw new BadRequestError(`The first ${length} bytes (the inference header) are not valid UTF-8 JSON.`)
  }
  return { header: parseJsonText(text, 'The inference header'), tail: body.subarray(length) }
}

/** Cuts the tail into each binary input's bytes, keyed by the input's position in `inputs`. */
export function binaryInputSlices(inputs: readonly { name: string; parameters?: Record<string, unknown> }[], tail: Uint8Array): Map<number, Uint8Array> {
  const slices = new Map<number, Uint8Array>()
  let offset = 0
  inputs.forEach((input, index) => {
    const size = input.parameters?.binary_data_size
    if (size === undefined) return
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
      throw new BadRequestError(`Input ${JSON.stringify(input.name)}: binary_data_size must be a whole number of bytes; it is ${JSON.stringify(size)}.`)
    }
    if (offset + size > tail.byteLength) {
      throw new BadRequestError(`Input ${JSON.stringify(input.name)} says binary_data_size ${size}, but only ${tail.byteLength - offset} bytes follow the header for it.`)
    }
    slices.set(index, tail.subarray(offset, offset + size))
    offset += size
  })
  if (offset !== tail.byteLength) {
    throw new BadRequestError(`${tail.byteLength} bytes follow the inference header, but the inputs' binary_data_size add up to ${offset}.`)
  }
  return slices
}

const elementBytes: Partial<Record<TensorType, number>> = { float32: 4, float64: 8, int64: 8, int32: 4, uint8: 1, bool: 1 }

/**
 * A copy in memory of its own: a typed array needs its element alignment, and the body's buffer is
 * not ours to keep. (`new Uint8Array(view)` copies; a Buffer's `slice` would not.)
 */
function copied(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes)
}

/** The binary elements of one input as the array onnxruntime-node takes; refuses what JSON's checks would. */
export function tensorFromBytes(inputName: string, type: TensorType, bytes: Uint8Array, count: number): TensorData['data'] {
  const name = JSON.stringify(inputName)
  if (type === 'string') return stringElements(name, bytes, count)
  const size = elementBytes[type]!
  if (bytes.byteLength !== count * size) {
    throw new BadRequestError(`Input ${name} has ${bytes.byteLength} bytes of binary data, but its shape needs ${count} elements × ${size} bytes = ${count * size}.`)
  }
  switch (type) {
    case 'float32':
      return finite(name, new Float32Array(copied(bytes).buffer))
    case 'float64':
      return finite(name, new Float64Array(copied(bytes).buffer))
    case 'int64':
      return new BigInt64Array(copied(bytes).buffer)
    case 'int32':
      return new Int32Array(copied(bytes).buffer)
    case 'uint8':
      return copied(bytes)
    case 'bool': {
      const flags = copied(bytes)
      const odd = flags.findIndex((b) => b > 1)
      if (odd >= 0) throw new BadRequestError(`Input ${name}: element ${odd} (row-major) is the byte ${flags[odd]}; a BOOL element is 0 or 1.`)
      return flags
    }
  }
}

function finite<T extends Float32Array | Float64Array>(name: string, values: T): T {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new BadRequestError(`Input ${name}: element ${i} (row-major) is ${values[i]}; the model takes finite numbers only.`)
  }
  return values
}

function stringElements(name: string, bytes: Uint8Array, count: number): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out: string[] = []
  let offset = 0
  while (offset < bytes.byteLength) {
    if (offset + 4 > bytes.byteLength) throw new BadRequestError(`Input ${name}: the binary data ends inside the 4-byte length of element ${out.length}.`)
    const length = view.getUint32(offset, true)
    offset += 4
    if (offset + length > bytes.byteLength) throw new BadRequestError(`Input ${name}: element ${out.length} says ${length} bytes, but only ${bytes.byteLength - offset} remain.`)
    try {
      out.push(utf8.decode(bytes.subarray(offset, offset + length)))
    } catch {
      throw new BadRequestError(`Input ${name}: element ${out.length} is not valid UTF-8 text.`)
    }
    offset += length
  }
  if (out.length !== count) throw new BadRequestError(`Input ${name} has ${out.length} BYTES elements in its binary data, but its shape needs ${count}.`)
  return out
}

/** Which outputs the request wants as binary: all (`binary_data_output`), or those marked `binary_data`. */
export function binaryOutputsWanted(header: unknown): ((name: string) => boolean) | null {
  if (typeof header !== 'object' || header === null) return null
  const request = header as { parameters?: Record<string, unknown>; outputs?: { name?: unknown; parameters?: Record<string, unknown> }[] }
  if (request.parameters?.binary_data_output === true) return () => true
  const marked = new Set((Array.isArray(request.outputs) ? request.outputs : []).filter((o) => o?.parameters?.binary_data === true).map((o) => o.name))
  return marked.size > 0 ? (name) => marked.has(name) : null
}

/** The bytes of one output tensor, little-endian; BYTES as 4-byte lengths and UTF-8 text. */
export function tensorBytes(tensor: TensorData): Uint8Array {
  const data = tensor.data
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  const items = Array.from(data as ArrayLike<unknown>)
  if (tensor.type === 'bool') return Uint8Array.from(items, (v) => (v ? 1 : 0))
  const encoded = items.map((v) => utf8Encoder.encode(String(v)))
  const out = new Uint8Array(encoded.reduce((sum, e) => sum + 4 + e.byteLength, 0))
  const view = new DataView(out.buffer)
  let offset = 0
  for (const element of encoded) {
    view.setUint32(offset, element.byteLength, true)
    out.set(element, offset + 4)
    offset += 4 + element.byteLength
  }
  return out
}

export interface BinaryAnswer {
  /** the JSON part's length: the answer's Inference-Header-Content-Length */
  headerLength: number
  body: Uint8Array<ArrayBuffer>
}

/** The JSON answer followed by its binary outputs' bytes, in the order its outputs list them. */
export function binaryAnswer(response: InferResponse, binaries: readonly Uint8Array[]): BinaryAnswer {
  const header = utf8Encoder.encode(JSON.stringify(response))
  const body = new Uint8Array(header.byteLength + binaries.reduce((sum, p) => sum + p.byteLength, 0))
  body.set(header, 0)
  let offset = header.byteLength
  for (const part of binaries) {
    body.set(part, offset)
    offset += part.byteLength
  }
  return { headerLength: header.byteLength, body }
}
