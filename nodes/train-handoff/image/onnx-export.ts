// The trained CNN as an ONNX head: features [N, 3, H, W] → Conv/Relu/MaxPool per layer →
// Flatten → Gemm → Softmax → scores [N, K]. The tfjs side is NHWC with im2col weights, so the
// weights are rearranged here: conv kernels to OIHW, and the dense weights' rows from the NHWC
// flatten order (h, w, c) to ONNX's NCHW flatten order (c, h, w).
import { onnx } from '../../_lib/models/onnx'
import { headInput, headOutput, type OnnxHead } from '@/nodes/_lib/models/onnx-head'
import type { TrainedCnn } from './cnn'
import { featureMapSize, kernelSize, paramsToWeights, type CnnWeights } from './cnn-shape'

const prefix = 'cnn_'

function floatTensor(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from(values) })
}

function ints(name: string, values: number[]): onnx.IAttributeProto {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values })
}

function int(name: string, value: number): onnx.IAttributeProto {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value })
}

/** im2col [9·C, F] (row (dy·3 + dx)·C + c) → OIHW [F, C, 3, 3] */
export function im2colToOihw(kernel: Float32Array, channels: number, filters: number): Float32Array {
  const out = new Float32Array(kernel.length)
  for (let f = 0; f < filters; f++) {
    for (let c = 0; c < channels; c++) {
      for (let dy = 0; dy < kernelSize; dy++) {
        for (let dx = 0; dx < kernelSize; dx++) {
          const row = (dy * kernelSize + dx) * channels + c
          out[((f * channels + c) * kernelSize + dy) * kernelSize + dx] = kernel[row * filters + f]!
        }
      }
    }
  }
  return out
}

/** dense rows in NHWC flatten order (h, w, c) → NCHW flatten order (c, h, w) */
export function nhwcRowsToNchw(dense: Float32Array, height: number, width: number, channels: number, outputs: number): Float32Array {
  const out = new Float32Array(dense.length)
  for (let h = 0; h < height; h++) {
    for (let w = 0; w < width; w++) {
      for (let c = 0; c < channels; c++) {
        const from = ((h * width + w) * channels + c) * outputs
        const to = ((c * height + h) * width + w) * outputs
        out.set(dense.subarray(from, from + outputs), to)
      }
    }
  }
  return out
}

export function cnnOnnxHead(model: TrainedCnn): OnnxHead {
  return cnnWeightsOnnxHead(paramsToWeights(model.shape, model.params))
}

/** The head from plain weights (no TensorFlow.js needed): what the node does with a worker's result. */
export function cnnWeightsOnnxHead(weights: CnnWeights): OnnxHead {
  const nodes: onnx.INodeProto[] = []
  const initializers: onnx.ITensorProto[] = []
  let current = headInput
  let channels = 3
  weights.conv.forEach((layer, i) => {
    const filters = weights.shape.filters[i]!
    const w = `${prefix}conv${i}_w`
    const b = `${prefix}conv${i}_b`
    initializers.push(
      floatTensor(w, [filters, channels, kernelSize, kernelSize], im2colToOihw(layer.kernel, channels, filters)),
      floatTensor(b, [filters], layer.bias),
    )
    const conv = `${prefix}conv${i}`
    const relu = `${prefix}relu${i}`
    const pool = `${prefix}pool${i}`
    nodes.push(
      // pads 1 on every side, stride 1: the 'same' padding of cnn-graph.ts's im2col
      onnx.NodeProto.create({ name: conv, opType: 'Conv', input: [current, w, b], output: [conv], attribute: [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [1, 1])] }),
      onnx.NodeProto.create({ name: relu, opType: 'Relu', input: [conv], output: [relu] }),
      onnx.NodeProto.create({ name: pool, opType: 'MaxPool', input: [relu], output: [pool], attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] }),
    )
    current = pool
    channels = filters
  })
  const map = featureMapSize(weights.shape)
  const classes = weights.shape.classes
  const dense = nhwcRowsToNchw(weights.dense, map.height, map.width, map.channels, classes)
  initializers.push(
    floatTensor(`${prefix}dense_w`, [map.height * map.width * map.channels, classes], dense),
    floatTensor(`${prefix}dense_b`, [classes], weights.denseBias),
  )
  nodes.push(
    onnx.NodeProto.create({ name: `${prefix}flatten`, opType: 'Flatten', input: [current], output: [`${prefix}flatten`], attribute: [int('axis', 1)] }),
    onnx.NodeProto.create({ name: `${prefix}gemm`, opType: 'Gemm', input: [`${prefix}flatten`, `${prefix}dense_w`, `${prefix}dense_b`], output: [`${prefix}logits`] }),
    onnx.NodeProto.create({ name: `${prefix}softmax`, opType: 'Softmax', input: [`${prefix}logits`], output: [headOutput], attribute: [int('axis', -1)] }),
  )
  return { nodes, initializers, opsets: { '': 17 }, probabilities: true }
}
