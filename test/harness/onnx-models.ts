// Tiny real ONNX models built with onnx-proto, for registry and publisher tests: features [N, 2]
// → MatMul by a 2×classes weight → Softmax → `probabilities` [N, classes].
import { onnx } from '@/nodes/_lib/models/onnx'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'

export interface TinyModelOptions {
  classes?: number
  /** the batch dimension: a name ("N") for a dynamic one, or a size */
  batch?: string | number
  opset?: number
  /** a dim_param-less unknown class dimension */
  dynamicClasses?: boolean
}

export function tinyClassifier(options: TinyModelOptions = {}): Uint8Array<ArrayBuffer> {
  const classes = options.classes ?? 3
  const batch = options.batch ?? 'N'
  const dim = (d: string | number) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })
  const tensor = (name: string, dims: (string | number)[]) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map(dim) } } } })
  const weights = Array.from({ length: 2 * classes }, (_, i) => (i % (classes + 1)) - 1)
  const graph = onnx.GraphProto.create({
    name: 'tiny',
    node: [
      onnx.NodeProto.create({ opType: 'MatMul', input: ['features', 'W'], output: ['scores'] }),
      onnx.NodeProto.create({ opType: 'Softmax', input: ['scores'], output: ['probabilities'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] }),
    ],
    initializer: [onnx.TensorProto.create({ name: 'W', dims: [2, classes], dataType: onnx.TensorProto.DataType.FLOAT, floatData: weights })],
    input: [tensor('features', [batch, 2])],
    output: [options.dynamicClasses ? tensor('probabilities', [batch, 'K']) : tensor('probabilities', [batch, classes])],
  })
  const model = onnx.ModelProto.create({ irVersion: 8, producerName: 'pipewright-test', producerVersion: '1', opsetImport: [{ domain: '', version: options.opset ?? 17 }], graph })
  // a copy on its own ArrayBuffer: fetch bodies and Blobs take nothing else
  return new Uint8Array(onnx.ModelProto.encode(model).finish())
}

/** The metadata that truly describes `tinyClassifier(options)`. */
export function tinyClassifierMetadata(options: TinyModelOptions = {}): ModelMetadata {
  const classes = options.classes ?? 3
  const batch = options.batch ?? 'N'
  return {
    task: 'classification',
    label: 'species',
    labels: Array.from({ length: classes }, (_, i) => `class-${i}`),
    features: [{ name: 'features', kind: 'number' }],
    inputs: [{ name: 'features', type: 'float32', shape: [batch, 2] }],
    outputs: [{ name: 'probabilities', type: 'float32', shape: [batch, options.dynamicClasses ? 'K' : classes] }],
    algorithm: 'test',
  }
}
