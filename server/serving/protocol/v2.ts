// The Open Inference Protocol (KServe / Triton "V2") in its JSON REST form: the inference request
// checked against the model's signature and turned into onnxruntime-node feeds, the inference
// response, and the metadata answers. Routes call these; nothing here knows HTTP or the database.
// Spec: github.com/kserve/open-inference-protocol, specification/protocol/inference_rest.md.
import { z } from 'zod'
import type { TensorSignature, TensorType } from '@/nodes/_lib/models/metadata'
import type { Feeds, Outputs, TensorData } from '@/nodes/_lib/models/session-thread/session-thread'
import packageJson from '@/package.json'
import { BadRequestError } from '@/server/http/errors'
import { flattenData, preview, product, toTensorData } from './tensor-elements'
import { binaryInputSlices, tensorBytes, tensorFromBytes } from './v2-binary'

export const v2Datatypes = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const
export type V2Datatype = (typeof v2Datatypes)[number]

/** The spec's datatype of each tensor type a Pipewright model's signature can name. */
export const datatypeOfTensorType: Record<TensorType, V2Datatype> = {
  float32: 'FP32',
  float64: 'FP64',
  int64: 'INT64',
  int32: 'INT32',
  uint8: 'UINT8',
  string: 'BYTES',
  bool: 'BOOL',
}

/** onnxruntime's output types, which may be any the graph makes. */
const datatypeOfOrtType: Record<string, V2Datatype> = {
  ...datatypeOfTensorType,
  float16: 'FP16',
  int8: 'INT8',
  int16: 'INT16',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
}

/** At most this many elements over all inputs of one request, unless the route says otherwise. */
export const defaultMaxElements = 10_000_000

const parametersSchema = z.record(z.string().max(256), z.union([z.string().max(10_000), z.number(), z.boolean()]))
const tensorName = z.string().min(1).max(256)

export const inferRequestInputSchema = z.object({
  name: tensorName,
  shape: z.array(z.number().int().nonnegative()).max(8),
  datatype: z.enum(v2Datatypes),
  parameters: parametersSchema.optional(),
  // elements are checked against the model's type when decoded; zod would copy millions of them
  data: z.custom<unknown[]>((value) => Array.isArray(value), { message: "data must be an array of the tensor's elements (flat or nested, row-major)" }).optional(),
})

export const inferRequestSchema = z.object({
  id: z.string().max(256).optional(),
  parameters: parametersSchema.optional(),
  inputs: z.array(inferRequestInputSchema).min(1).max(1000),
  outputs: z.array(z.object({ name: tensorName, parameters: parametersSchema.optional() })).max(1000).optional(),
})
export type InferRequest = z.infer<typeof inferRequestSchema>

export interface ModelSignature {
  inputs: readonly TensorSignature[]
  outputs: readonly TensorSignature[]
}

export interface DecodedInferRequest {
  id?: string
  feeds: Feeds
  /** the outputs the client asked for, in its order; absent means all */
  requestedOutputs?: string[]
}

export interface DecodeOptions {
  maxElements?: number
  /** the bytes after the JSON header of a binary-extension request (see v2-binary.ts) */
  binaryTail?: Uint8Array
}

/** Reads an inference request body; every problem is a BadRequestError that names the input. */
export function decodeInferRequest(body: unknown, signature: ModelSignature, options: DecodeOptions = {}): DecodedInferRequest {
  const parsed = inferRequestSchema.safeParse(body)
  if (!parsed.success) throw fromZod(parsed.error)
  const request = parsed.data
  checkInputNames(request.inputs.map((i) => i.name), signature.inputs)
  const budget = { left: options.maxElements ?? defaultMaxElements, max: options.maxElements ?? defaultMaxElements }
  const dynamic = new Map<string, { input: string; size: number }>()
  const binary = options.binaryTail ? binaryInputSlices(request.inputs, options.binaryTail) : null
  // fromEntries, because assigning feeds["__proto__"] would set the prototype, not an input
  const feeds: Feeds = Object.fromEntries(
    request.inputs.map((input, index) => [input.name, decodeInput(input, signature.inputs.find((s) => s.name === input.name)!, budget, dynamic, binary?.get(index))]),
  )
  const requestedOutputs = request.outputs && requestedOutputNames(request.outputs.map((o) => o.name), signature.outputs)
  return { ...(request.id !== undefined ? { id: request.id } : {}), feeds, ...(requestedOutputs ? { requestedOutputs } : {}) }
}

function fromZod(error: z.ZodError): BadRequestError {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message, code: issue.code }))
  const first = issues[0]!
  return new BadRequestError(`${first.path || '(body)'}: ${first.message}`, issues)
}

function quoted(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ')
}

function checkInputNames(names: readonly string[], expected: readonly TensorSignature[]): void {
  const known = expected.map((s) => s.name)
  const seen = new Set<string>()
  for (const name of names) {
    if (!known.includes(name)) throw new BadRequestError(`The model has no input ${JSON.stringify(name)}; its inputs are ${quoted(known)}.`)
    if (seen.has(name)) throw new BadRequestError(`Input ${JSON.stringify(name)} is given twice.`)
    seen.add(name)
  }
  const missing = known.filter((n) => !seen.has(n))
  if (missing.length > 0) throw new BadRequestError(`The request lacks the model's input${missing.length > 1 ? 's' : ''} ${quoted(missing)}; its inputs are ${quoted(known)}.`)
}

function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`
}

function decodeInput(
  input: InferRequest['inputs'][number],
  expected: TensorSignature,
  budget: { left: number; max: number },
  dynamic: Map<string, { input: string; size: number }>,
  binary: Uint8Array | undefined,
): TensorData {
  const name = JSON.stringify(input.name)
  const saysBinary = input.parameters !== undefined && 'binary_data_size' in input.parameters
  if (saysBinary && !binary) {
    throw new BadRequestError(`Input ${name} says binary_data_size, but the request has no binary part: send the header Inference-Header-Content-Length with the JSON header's length, or send "data" as JSON.`)
  }
  if (binary && input.data !== undefined) throw new BadRequestError(`Input ${name} has both "data" and binary_data_size; send one.`)
  if (!binary && input.data === undefined) throw new BadRequestError(`Input ${name} has no "data": send its elements as a JSON array (or as binary data with binary_data_size).`)
  const datatype = datatypeOfTensorType[expected.type]
  if (input.datatype !== datatype) throw new BadRequestError(`Input ${name} has datatype ${input.datatype}, but the model takes ${datatype} for it.`)
  checkShape(input.name, input.shape, expected, dynamic)
  const count = product(input.shape)
  if (count > budget.left) {
    throw new BadRequestError(`The request has too many elements: input ${name} alone has ${formatShape(input.shape)} = ${count}; this server takes at most ${budget.max} per request.`)
  }
  budget.left -= count
  if (binary) return { type: expected.type, data: tensorFromBytes(input.name, expected.type, binary, count), dims: [...input.shape] }
  const flat = flattenData(input.name, input.data!, input.shape)
  if (flat.length !== count) throw new BadRequestError(`Input ${name} has ${flat.length} element${flat.length === 1 ? '' : 's'} in data, but its shape ${formatShape(input.shape)} needs ${count}.`)
  return { type: expected.type, data: toTensorData(input.name, expected.type, flat), dims: [...input.shape] }
}

/** Rank and fixed dimensions as the model has them; a named dynamic dimension ("N") is one size across inputs. */
function checkShape(inputName: string, shape: readonly number[], expected: TensorSignature, dynamic: Map<string, { input: string; size: number }>): void {
  const name = JSON.stringify(inputName)
  const dims = (n: number) => `${n} dimension${n === 1 ? '' : 's'}`
  if (shape.length !== expected.shape.length) {
    throw new BadRequestError(`Input ${name} has shape ${formatShape(shape)} (${dims(shape.length)}), but the model's is ${formatShape(expected.shape)} (${dims(expected.shape.length)}).`)
  }
  expected.shape.forEach((want, axis) => {
    const got = shape[axis]!
    if (typeof want === 'number') {
      if (got !== want) throw new BadRequestError(`Input ${name} has ${got} at dimension ${axis} of shape ${formatShape(shape)}, but the model fixes it at ${want} (${formatShape(expected.shape)}).`)
      return
    }
    const earlier = dynamic.get(want)
    if (earlier && earlier.size !== got) {
      throw new BadRequestError(`Input ${name} has ${want} = ${got} (dimension ${axis}), but input ${JSON.stringify(earlier.input)} has ${want} = ${earlier.size}; the model needs them equal.`)
    }
    if (!earlier) dynamic.set(want, { input: inputName, size: got })
  })
}

function requestedOutputNames(names: readonly string[], outputs: readonly TensorSignature[]): string[] {
  const known = outputs.map((o) => o.name)
  for (const name of names) if (!known.includes(name)) throw new BadRequestError(`The model has no output ${JSON.stringify(name)}; its outputs are ${quoted(known)}.`)
  return [...new Set(names)]
}

export interface ResponseOutput {
  name: string
  shape: number[]
  datatype: V2Datatype
  /** absent when the output's bytes follow the JSON (the binary extension) */
  data?: (number | string | boolean | null)[]
  parameters?: { binary_data_size: number }
}

export interface InferResponse {
  model_name: string
  model_version?: string
  id?: string
  outputs: ResponseOutput[]
}

export interface EncodeResponseArgs {
  modelName: string
  modelVersion?: string
  id?: string
  outputs: Outputs
  /** only these, in this order; absent means every output the model gave */
  requestedOutputs?: readonly string[]
  /** outputs whose bytes follow the JSON instead of being in it (the binary extension) */
  binaryOutputs?: (name: string) => boolean
}

export interface InferAnswer {
  response: InferResponse
  /** the binary outputs' bytes, in the order `response.outputs` lists them */
  binaries: Uint8Array[]
}

/**
 * The spec's inference response. Data is flat, row-major; float32 values are their exact stored
 * value (0.1f is 0.10000000149011612); 64-bit integers become JSON numbers (exact within ±2^53);
 * NaN and ±Infinity, which JSON cannot carry, become null.
 */
export function encodeInferResponse(args: EncodeResponseArgs): InferResponse {
  return encodeInferAnswer(args).response
}

/** The inference response, with the outputs the client wants as bytes moved out of the JSON. */
export function encodeInferAnswer(args: EncodeResponseArgs): InferAnswer {
  const names = args.requestedOutputs ?? Object.keys(args.outputs)
  const binaries: Uint8Array[] = []
  const outputs = names.map((name): ResponseOutput => {
    const tensor = args.outputs[name]
    if (!tensor) throw new Error(`the model gave no output "${name}" (it gave ${quoted(Object.keys(args.outputs))})`)
    const described = { name, shape: [...tensor.dims], datatype: datatypeOfOrt(tensor.type) }
    if (!args.binaryOutputs?.(name)) return { ...described, data: jsonElements(tensor) }
    const bytes = tensorBytes(tensor)
    binaries.push(bytes)
    return { ...described, parameters: { binary_data_size: bytes.byteLength } }
  })
  const response: InferResponse = {
    model_name: args.modelName,
    ...(args.modelVersion !== undefined ? { model_version: args.modelVersion } : {}),
    ...(args.id !== undefined ? { id: args.id } : {}),
    outputs,
  }
  return { response, binaries }
}

function datatypeOfOrt(type: string): V2Datatype {
  const datatype = datatypeOfOrtType[type]
  if (!datatype) throw new Error(`the model gave an output of type ${type}, which the V2 protocol cannot carry`)
  return datatype
}

function jsonElements(tensor: TensorData): ResponseOutput['data'] {
  const data = tensor.data
  const out = new Array<number | string | boolean | null>(data.length)
  for (let i = 0; i < data.length; i++) {
    const v = (data as ArrayLike<unknown>)[i]
    if (tensor.type === 'bool') out[i] = Boolean(v)
    else if (tensor.type === 'float16' && data instanceof Uint16Array) out[i] = finiteOrNull(halfToNumber(data[i]!))
    else if (typeof v === 'bigint') out[i] = Number(v)
    else if (typeof v === 'number') out[i] = finiteOrNull(v)
    else if (typeof v === 'string') out[i] = v
    else throw new Error(`output element ${i} is ${preview(v)}, which is not a tensor element`)
  }
  return out
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null
}

/** onnxruntime-node hands float16 over as its raw bits. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >> 10) & 0x1f
  const fraction = bits & 0x3ff
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024)
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}

export interface MetadataTensor {
  name: string
  datatype: V2Datatype
  shape: number[]
}

export interface ModelMetadataResponse {
  name: string
  versions: string[]
  platform: string
  inputs: MetadataTensor[]
  outputs: MetadataTensor[]
}

/** `GET /v2/models/{name}`: dynamic dimensions ("N") are -1, as the spec has them. */
export function modelMetadataResponse(name: string, versions: readonly string[], signature: ModelSignature): ModelMetadataResponse {
  const tensor = (t: TensorSignature): MetadataTensor => ({ name: t.name, datatype: datatypeOfTensorType[t.type], shape: t.shape.map((d) => (typeof d === 'number' ? d : -1)) })
  return { name, versions: [...versions], platform: 'onnxruntime_onnx', inputs: signature.inputs.map(tensor), outputs: signature.outputs.map(tensor) }
}

export interface ServerMetadataResponse {
  name: string
  version: string
  extensions: string[]
}

/** `GET /v2`: Pipewright's own version. No standard extensions are defined; a server names its own. */
export function serverMetadata(extensions: readonly string[] = []): ServerMetadataResponse {
  return { name: 'pipewright', version: packageJson.version, extensions: [...extensions] }
}

/** The spec's error object, for every failed V2 request. */
export function v2Error(message: string): { error: string } {
  return { error: message }
}
