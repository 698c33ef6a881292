// The CNN's parameters and forward pass in TensorFlow.js, NHWC inside. Convolution is im2col:
// the input padded by one pixel ('same' padding, stride 1), nine shifted slices concatenated on
// the channel axis, then one matMul with a [9·C, F] weight matrix. Patch column order is
// (dy·3 + dx)·C + c — onnx-export.ts relies on exactly this order to rebuild OIHW weights.
import * as tf from '@tensorflow/tfjs'
import { createRng } from '@/nodes/_lib/images/rng'
import { featureMapSize, kernelSize, type CnnShape, type CnnWeights } from './cnn-shape'

export { featureMapSize, kernelSize, type CnnShape } from './cnn-shape'

export interface ConvLayer {
  /** [9·Cin, F], rows in patch order (dy·3 + dx)·Cin + c */
  kernel: tf.Variable
  bias: tf.Variable
}

export interface CnnParams {
  conv: ConvLayer[]
  /** [Hf·Wf·Cf, K], rows in NHWC flatten order (h, w, c) */
  dense: tf.Variable
  denseBias: tf.Variable
}

/** Glorot-uniform weights from a seeded generator, zero biases: the same seed gives the same net. */
function glorot(rows: number, cols: number, seed: number, name: string): tf.Variable {
  const rng = createRng(seed)
  const limit = Math.sqrt(6 / (rows + cols))
  const values = Float32Array.from({ length: rows * cols }, () => rng.range(-limit, limit))
  // tidy frees the initial tensor; the variable (never freed by tidy) keeps its own copy
  return tf.tidy(() => tf.variable(tf.tensor2d(values, [rows, cols]), true, name))
}

let paramsCreated = 0

export function initParams(shape: CnnShape, seed: number): CnnParams {
  // variable names must be unique per tfjs engine; a counter keeps two nets apart
  const tag = `cnn${paramsCreated++}`
  let channels = 3
  const conv = shape.filters.map((filters, i) => {
    const layer: ConvLayer = {
      kernel: glorot(kernelSize * kernelSize * channels, filters, seed * 31 + i, `${tag}_conv${i}_w`),
      bias: tf.tidy(() => tf.variable(tf.zeros([filters]), true, `${tag}_conv${i}_b`)),
    }
    channels = filters
    return layer
  })
  const map = featureMapSize(shape)
  const flat = map.height * map.width * map.channels
  return {
    conv,
    dense: glorot(flat, shape.classes, seed * 31 + 97, `${tag}_dense_w`),
    denseBias: tf.tidy(() => tf.variable(tf.zeros([shape.classes]), true, `${tag}_dense_b`)),
  }
}

export function trainableVariables(params: CnnParams): tf.Variable[] {
  return [...params.conv.flatMap((l) => [l.kernel, l.bias]), params.dense, params.denseBias]
}

export function disposeParams(params: CnnParams): void {
  for (const v of trainableVariables(params)) v.dispose()
}

/** 3×3 'same' convolution, stride 1, as im2col + matMul (trainable on the WASM backend). */
function conv3x3(x: tf.Tensor4D, layer: ConvLayer): tf.Tensor4D {
  const [n, h, w, c] = x.shape
  const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]])
  const patches: tf.Tensor4D[] = []
  for (let dy = 0; dy < kernelSize; dy++) {
    for (let dx = 0; dx < kernelSize; dx++) patches.push(tf.slice(padded, [0, dy, dx, 0], [n, h, w, c]))
  }
  const columns = tf.reshape(tf.concat(patches, 3), [n * h * w, kernelSize * kernelSize * c])
  const filters = layer.kernel.shape[1]!
  const out = tf.add(tf.matMul(columns, layer.kernel), layer.bias)
  return tf.reshape(out, [n, h, w, filters])
}

/** logits [N, K] from NHWC input [N, H, W, 3] */
export function logits(params: CnnParams, input: tf.Tensor4D): tf.Tensor2D {
  let x = input
  for (const layer of params.conv) x = tf.maxPool(tf.relu(conv3x3(x, layer)), 2, 2, 'valid')
  const [n, h, w, c] = x.shape
  return tf.add(tf.matMul(tf.reshape(x, [n, h * w * c]), params.dense), params.denseBias)
}

/** Variables holding the given weights: the in-memory model back from plain arrays. */
export function weightsToParams(weights: CnnWeights): CnnParams {
  const tag = `cnn${paramsCreated++}`
  let channels = 3
  const conv = weights.conv.map((layer, i) => {
    const filters = weights.shape.filters[i]!
    const params: ConvLayer = {
      kernel: tf.tidy(() => tf.variable(tf.tensor2d(layer.kernel, [kernelSize * kernelSize * channels, filters]), true, `${tag}_conv${i}_w`)),
      bias: tf.tidy(() => tf.variable(tf.tensor1d(layer.bias), true, `${tag}_conv${i}_b`)),
    }
    channels = filters
    return params
  })
  const classes = weights.shape.classes
  return {
    conv,
    dense: tf.tidy(() => tf.variable(tf.tensor2d(weights.dense, [weights.dense.length / classes, classes]), true, `${tag}_dense_w`)),
    denseBias: tf.tidy(() => tf.variable(tf.tensor1d(weights.denseBias), true, `${tag}_dense_b`)),
  }
}
