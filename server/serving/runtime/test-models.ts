// Small real ONNX models for the serving runtime's tests, built with onnx-proto: each one makes a
// behaviour easy to see (a row's own answer, a failure only some values cause, a slow run).
import { onnx } from '@/nodes/_lib/models/onnx'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'

const T = onnx.TensorProto.DataType
type Dim = string | number

function valueInfo(name: string, elemType: number, dims: Dim[]) {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }))
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim } } } })
}

function encode(graph: onnx.IGraphProto): Uint8Array<ArrayBuffer> {
  const model = onnx.ModelProto.create({ irVersion: 8, producerName: 'pipewright-test', producerVersion: '1', opsetImport: [{ domain: '', version: 17 }], graph })
  return new Uint8Array(onnx.ModelProto.encode(model).finish())
}

function metadata(inputs: ModelMetadata['inputs'], outputs: ModelMetadata['outputs'], features: ModelMetadata['features']): ModelMetadata {
  return { task: 'regression', label: 'y', features, inputs, outputs, algorithm: 'test' }
}

/**
 * `lookup` = table[index]: int64 `index` [N, 1] → float32 [N, 1, 2]. An index outside 0…9 makes
 * onnxruntime refuse the run, so one bad row fails the whole call its request is batched into.
 */
export function lookupModel(): { bytes: Uint8Array<ArrayBuffer>; metadata: ModelMetadata } {
  const table = Array.from({ length: 20 }, (_, i) => i * 10)
  const graph = onnx.GraphProto.create({
    name: 'lookup',
    node: [onnx.NodeProto.create({ opType: 'Gather', input: ['table', 'index'], output: ['lookup'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] })],
    initializer: [onnx.TensorProto.create({ name: 'table', dims: [10, 2], dataType: T.FLOAT, floatData: table })],
    input: [valueInfo('index', T.INT64, ['N', 1])],
    output: [valueInfo('lookup', T.FLOAT, ['N', 1, 2])],
  })
  return { bytes: encode(graph), metadata: metadata([{ name: 'index', type: 'int64', shape: ['N', 1] }], [{ name: 'lookup', type: 'float32', shape: ['N', 1, 2] }], [{ name: 'index', kind: 'number' }]) }
}

/**
 * `x` float32 [N, 256] through `layers` × (MatMul 256×256, Tanh): about 0.13 MFLOP per row per
 * layer, so a few hundred rows keep a thread busy for a noticeable time.
 */
export function slowModel(layers = 40): { bytes: Uint8Array<ArrayBuffer>; metadata: ModelMetadata } {
  const width = 256
  const weights = Array.from({ length: width * width }, (_, i) => (((i * 7919) % 101) - 50) / 1000)
  const nodes: onnx.INodeProto[] = []
  let previous = 'x'
  for (let l = 0; l < layers; l++) {
    nodes.push(onnx.NodeProto.create({ opType: 'MatMul', input: [previous, 'W'], output: [`m${l}`] }))
    const out = l === layers - 1 ? 'y' : `t${l}`
    nodes.push(onnx.NodeProto.create({ opType: 'Tanh', input: [`m${l}`], output: [out] }))
    previous = out
  }
  const graph = onnx.GraphProto.create({
    name: 'slow',
    node: nodes,
    initializer: [onnx.TensorProto.create({ name: 'W', dims: [width, width], dataType: T.FLOAT, floatData: weights })],
    input: [valueInfo('x', T.FLOAT, ['N', width])],
    output: [valueInfo('y', T.FLOAT, ['N', width])],
  })
  return { bytes: encode(graph), metadata: metadata([{ name: 'x', type: 'float32', shape: ['N', width] }], [{ name: 'y', type: 'float32', shape: ['N', width] }], [{ name: 'x', kind: 'number' }]) }
}

/** `brightness` = mean of each uint8 RGB `image` [N, H, W, 3] at any H and W → float32 [N]. */
export function brightnessModel(): { bytes: Uint8Array<ArrayBuffer>; metadata: ModelMetadata } {
  const graph = onnx.GraphProto.create({
    name: 'brightness',
    node: [
      onnx.NodeProto.create({ opType: 'Cast', input: ['image'], output: ['pixels'], attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: T.FLOAT }] }),
      onnx.NodeProto.create({
        opType: 'ReduceMean',
        input: ['pixels'],
        output: ['brightness'],
        attribute: [
          { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 2, 3] },
          { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
        ],
      }),
    ],
    input: [valueInfo('image', T.UINT8, ['N', 'H', 'W', 3])],
    output: [valueInfo('brightness', T.FLOAT, ['N'])],
  })
  return {
    bytes: encode(graph),
    metadata: metadata([{ name: 'image', type: 'uint8', shape: ['N', 'H', 'W', 3] }], [{ name: 'brightness', type: 'float32', shape: ['N'] }], [{ name: 'image', kind: 'image', width: 16, height: 12 }]),
  }
}
