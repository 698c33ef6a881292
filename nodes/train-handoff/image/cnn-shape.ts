// The CNN's shape and its plain-data weights, without TensorFlow.js: the main thread builds the
// ONNX head from weights a training worker sent back, and must not load tfjs to do it.
import type { CnnParams } from './cnn-graph'

export const kernelSize = 3

export interface CnnShape {
  /** input height and width of the `features` tensor */
  height: number
  width: number
  /** filters per conv layer, e.g. [8, 16]; each layer is conv3×3 'same' + relu + maxpool 2×2 */
  filters: readonly number[]
  classes: number
}

/** The learned numbers as typed arrays, in cnn-graph.ts's layouts: what crosses a thread boundary. */
export interface CnnWeights {
  shape: CnnShape
  /** per conv layer: kernel [9·Cin, F] in patch order (dy·3 + dx)·Cin + c, bias [F] */
  conv: { kernel: Float32Array; bias: Float32Array }[]
  /** [Hf·Wf·Cf, K], rows in NHWC flatten order (h, w, c) */
  dense: Float32Array
  denseBias: Float32Array
}

/** Spatial size after the conv layers: each maxpool 2×2 stride 2 floors, as ONNX MaxPool does. */
export function featureMapSize(shape: CnnShape): { height: number; width: number; channels: number } {
  let height = shape.height
  let width = shape.width
  for (let i = 0; i < shape.filters.length; i++) {
    height = Math.floor(height / 2)
    width = Math.floor(width / 2)
  }
  if (height < 1 || width < 1) throw new Error(`input ${shape.height}×${shape.width} is too small for ${shape.filters.length} pooling layers`)
  return { height, width, channels: shape.filters.at(-1) ?? 3 }
}

/** The variables' values as plain arrays, e.g. to send them to another thread. */
export function paramsToWeights(shape: CnnShape, params: CnnParams): CnnWeights {
  const values = (v: { dataSync(): ArrayLike<number> }) => Float32Array.from(v.dataSync())
  return {
    shape: { ...shape, filters: [...shape.filters] },
    conv: params.conv.map((l) => ({ kernel: values(l.kernel), bias: values(l.bias) })),
    dense: values(params.dense),
    denseBias: values(params.denseBias),
  }
}
