// Small typed helpers over onnx-proto so preprocessing, heads and the assembler build graphs from
// named pieces instead of raw protobuf objects. Browser-safe: onnx-proto and metadata types only.
import { onnx } from '../../_lib/models/onnx'
import type { TensorSignature, TensorType } from '@/nodes/_lib/models/metadata'

const DataType = onnx.TensorProto.DataType
const AttributeType = onnx.AttributeProto.AttributeType

/** The ONNX element type of each tensor type Pipewright writes. */
export const elementTypes: Record<TensorType, onnx.TensorProto.DataType> = {
  float32: DataType.FLOAT,
  float64: DataType.DOUBLE,
  int64: DataType.INT64,
  int32: DataType.INT32,
  uint8: DataType.UINT8,
  string: DataType.STRING,
  bool: DataType.BOOL,
}

const utf8 = new TextEncoder()

/** A piece of a graph: what preprocessing and heads hand to the assembler. */
export interface Subgraph {
  nodes: onnx.INodeProto[]
  initializers: onnx.ITensorProto[]
  /** operator sets the nodes use, e.g. { '': 17, 'ai.onnx.ml': 3 } */
  opsets: Record<string, number>
}

export function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): onnx.ITensorProto {
  checkSize(name, dims, values.length)
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DataType.FLOAT, floatData: Array.from(values) })
}

export function int64Tensor(name: string, dims: readonly number[], values: ArrayLike<number>): onnx.ITensorProto {
  checkSize(name, dims, values.length)
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DataType.INT64, int64Data: Array.from(values) })
}

export function stringTensor(name: string, dims: readonly number[], values: readonly string[]): onnx.ITensorProto {
  checkSize(name, dims, values.length)
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DataType.STRING, stringData: values.map((v) => utf8.encode(v)) })
}

function checkSize(name: string, dims: readonly number[], length: number): void {
  const size = dims.reduce((a, b) => a * b, 1)
  if (size !== length) throw new Error(`tensor ${name}: shape [${dims.join(', ')}] holds ${size} values, got ${length}`)
}

/** Node attributes, one constructor per ONNX attribute type used here. */
export const attr = {
  int: (name: string, i: number): onnx.IAttributeProto => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): onnx.IAttributeProto => ({ name, type: AttributeType.INTS, ints: [...ints] }),
  float: (name: string, f: number): onnx.IAttributeProto => ({ name, type: AttributeType.FLOAT, f }),
  floats: (name: string, floats: readonly number[]): onnx.IAttributeProto => ({ name, type: AttributeType.FLOATS, floats: [...floats] }),
  string: (name: string, s: string): onnx.IAttributeProto => ({ name, type: AttributeType.STRING, s: utf8.encode(s) }),
  strings: (name: string, values: readonly string[]): onnx.IAttributeProto => ({
    name,
    type: AttributeType.STRINGS,
    strings: values.map((v) => utf8.encode(v)),
  }),
  tensor: (name: string, t: onnx.ITensorProto): onnx.IAttributeProto => ({ name, type: AttributeType.TENSOR, t }),
}

export interface NodeOptions {
  attributes?: onnx.IAttributeProto[]
  /** '' (ai.onnx, the default) or e.g. 'ai.onnx.ml' */
  domain?: string
  name?: string
}

export function node(opType: string, inputs: readonly string[], outputs: readonly string[], options: NodeOptions = {}): onnx.INodeProto {
  return onnx.NodeProto.create({
    opType,
    input: [...inputs],
    output: [...outputs],
    attribute: options.attributes ?? [],
    domain: options.domain ?? '',
    name: options.name ?? outputs[0] ?? opType,
  })
}

/** A graph input or output; string dimensions are dynamic (named, e.g. "N"). */
export function valueInfo(signature: TensorSignature): onnx.IValueInfoProto {
  return onnx.ValueInfoProto.create({
    name: signature.name,
    type: {
      tensorType: {
        elemType: elementTypes[signature.type],
        shape: { dim: signature.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  })
}

/**
 * Names for the inner tensors of one subgraph, `<prefix>/<name>`, so several subgraphs in one
 * graph never collide. Column names can contain anything, so subgraphs number their inner names
 * (`num3/scaled`) rather than derive them from user text.
 */
export function prefixer(prefix: string): (name: string) => string {
  return (name) => `${prefix}/${name}`
}

/**
 * Renames every tensor a subgraph defines or reads, except the `keep` names (its boundary, e.g.
 * `features` and `scores`), by `rename`. For heads written without prefixes.
 */
export function renameSubgraph(graph: Subgraph, keep: readonly string[], rename: (name: string) => string): Subgraph {
  const kept = new Set(keep)
  const map = (name: string) => (name === '' || kept.has(name) ? name : rename(name))
  return {
    opsets: { ...graph.opsets },
    initializers: graph.initializers.map((t) => ({ ...t, name: map(t.name ?? '') })),
    nodes: graph.nodes.map((n) => ({
      ...n,
      name: n.name ? rename(n.name) : n.name,
      input: (n.input ?? []).map(map),
      output: (n.output ?? []).map(map),
    })),
  }
}

/** The union of operator sets; the higher version wins where two pieces name the same domain. */
export function mergeOpsets(...sets: readonly Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {}
  for (const set of sets) {
    for (const [domain, version] of Object.entries(set)) merged[domain] = Math.max(merged[domain] ?? 0, version)
  }
  return merged
}
