// Reads an ONNX file's signature without running it, and refuses what Pipewright cannot serve:
// an import is checked here before anything is stored, so a bad file is a 400, never a stored blob.
import { onnx } from '@/nodes/_lib/models/onnx'
import type { TensorSignature, TensorType } from '@/nodes/_lib/models/metadata'
import { loadSignature, ModelRefusedError } from './signature'

/** The ai.onnx operator sets onnxruntime-node 1.30 runs and Pipewright's trainers write. */
export const supportedOpsets = { min: 7, max: 21 } as const

export interface OnnxInspection {
  inputs: TensorSignature[]
  outputs: TensorSignature[]
  /** domain ('' is ai.onnx) → version */
  opsets: Record<string, number>
  irVersion: number
  producer: string
  sizeBytes: number
}

const D = onnx.TensorProto.DataType
const elementTypes: Partial<Record<number, TensorType>> = {
  [D.FLOAT]: 'float32',
  [D.DOUBLE]: 'float64',
  [D.INT64]: 'int64',
  [D.INT32]: 'int32',
  [D.UINT8]: 'uint8',
  [D.STRING]: 'string',
  [D.BOOL]: 'bool',
}

// protobufjs gives 64-bit fields as Long when the long package is present, else as numbers
const toNumber = (value: number | { toNumber(): number } | null | undefined): number =>
  value == null ? 0 : typeof value === 'number' ? value : value.toNumber()

function decode(bytes: Uint8Array): onnx.ModelProto {
  if (bytes.byteLength === 0) throw new ModelRefusedError('The file is empty (0 bytes); send an ONNX model as the body.')
  // protobuf writers emit fields in number order, so an ONNX file opens with field 1, ir_version (tag 0x08)
  if (bytes[0] !== 0x08) throw new ModelRefusedError('The file is not an ONNX model: it does not start like one (an ONNX file begins with its IR version).')
  let model: onnx.ModelProto
  try {
    model = onnx.ModelProto.decode(bytes)
  } catch (error) {
    // protobufjs reads past the end of a cut-off file ("index out of range"); other faults are bytes that are no protobuf at all
    const message = error instanceof Error ? error.message : String(error)
    if (/index out of range/i.test(message)) throw new ModelRefusedError(`The file is truncated: it ends in the middle of the ONNX model (${bytes.byteLength} bytes).`)
    throw new ModelRefusedError(`The file is not an ONNX model: it does not decode as one (${message}).`)
  }
  if (!model.graph || toNumber(model.irVersion) <= 0) throw new ModelRefusedError('The file is not an ONNX model: it has no graph or no IR version.')
  return model
}

function tensorSignature(value: onnx.IValueInfoProto): TensorSignature {
  const name = value.name ?? ''
  const tensor = value.type?.tensorType
  if (!tensor) throw new ModelRefusedError(`The model's value "${name}" is not a tensor; Pipewright reads tensor inputs and outputs only.`)
  const type = elementTypes[tensor.elemType ?? 0]
  if (!type) throw new ModelRefusedError(`The model's value "${name}" has element type ${D[tensor.elemType ?? 0] ?? tensor.elemType}; Pipewright reads float32, float64, int64, int32, uint8, string and bool.`)
  const shape = (tensor.shape?.dim ?? []).map((dim) => (dim.dimParam ? dim.dimParam : toNumber(dim.dimValue) > 0 ? toNumber(dim.dimValue) : '?'))
  return { name, type, shape }
}

function opsetsOf(model: onnx.ModelProto): Record<string, number> {
  const opsets: Record<string, number> = {}
  for (const entry of model.opsetImport) opsets[entry.domain === 'ai.onnx' ? '' : (entry.domain ?? '')] = toNumber(entry.version)
  const core = opsets['']
  if (core === undefined) throw new ModelRefusedError('The model imports no ai.onnx operator set; it needs one.')
  if (core < supportedOpsets.min || core > supportedOpsets.max) {
    throw new ModelRefusedError(`The model uses ai.onnx operator set ${core}; Pipewright supports ${supportedOpsets.min} to ${supportedOpsets.max}.`)
  }
  return opsets
}

/** Signature, operator sets and producer of an ONNX file; refuses it with what is wrong, loading it in onnxruntime-node last. */
export async function inspectOnnx(bytes: Uint8Array): Promise<OnnxInspection> {
  const model = decode(bytes)
  const graph = model.graph!
  const opsets = opsetsOf(model)
  // before IR 4 the initializers were listed among the inputs too: they are weights, not inputs
  const weights = new Set((graph.initializer ?? []).map((t) => t.name))
  const inputs = (graph.input ?? []).filter((v) => !weights.has(v.name)).map(tensorSignature)
  const outputs = (graph.output ?? []).map(tensorSignature)
  if (inputs.length === 0 || outputs.length === 0) throw new ModelRefusedError('The model has no inputs or no outputs; it needs at least one of each.')
  await loadSignature(bytes)
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ')
  return { inputs, outputs, opsets, irVersion: toNumber(model.irVersion), producer, sizeBytes: bytes.byteLength }
}
