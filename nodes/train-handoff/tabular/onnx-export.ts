// Learned dense weights as an ONNX head: one Gemm per layer, Relu between them, Softmax at the end
// for classifiers (so `scores` are probabilities), nothing for regressors ([N, 1] values).
import { onnx } from '../../_lib/models/onnx'
import { headInput, headOutput, type OnnxHead } from '../../_lib/models/onnx-head'
import type { DenseWeights } from './dense-net'

function floatTensor(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  // rawData (little-endian bytes) rather than floatData: smaller files and no per-number encoding
  const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength))
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes })
}

/** `prefix` keeps inner tensor names apart from preprocessing's in the assembled graph. */
export function denseHead(weights: DenseWeights, prefix = 'dense_'): OnnxHead {
  const nodes: onnx.INodeProto[] = []
  const initializers: onnx.ITensorProto[] = []
  let current = headInput
  weights.layers.forEach((layer, i) => {
    const last = i === weights.layers.length - 1
    const w = `${prefix}w${i}`
    const b = `${prefix}b${i}`
    initializers.push(floatTensor(w, [layer.inputs, layer.outputs], layer.weight), floatTensor(b, [layer.outputs], layer.bias))
    const gemmOut = last && weights.output === 'identity' ? headOutput : `${prefix}gemm${i}`
    nodes.push(onnx.NodeProto.create({ name: `${prefix}gemm${i}`, opType: 'Gemm', input: [current, w, b], output: [gemmOut] }))
    current = gemmOut
    if (!last) {
      const relu = `${prefix}relu${i}`
      nodes.push(onnx.NodeProto.create({ name: relu, opType: 'Relu', input: [current], output: [relu] }))
      current = relu
    }
  })
  if (weights.output === 'softmax') {
    nodes.push(
      onnx.NodeProto.create({
        name: `${prefix}softmax`,
        opType: 'Softmax',
        input: [current],
        output: [headOutput],
        attribute: [onnx.AttributeProto.create({ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 })],
      }),
    )
  }
  return { nodes, initializers, opsets: { '': 17 }, probabilities: weights.output === 'softmax' }
}
