// The seam between preprocessing and a learned model inside one ONNX graph. Preprocessing turns the
// raw inputs into one float32 tensor `features` ([N, F] for tables, [N, 3, H, W] normalised for
// images); a head (logistic regression, MLP, trees, CNN) reads it and writes `scores` — class
// probabilities [N, K] for classification, the value [N, 1] for regression. The assembler adds
// the `label` output (argmax → class name) and names the outputs as `modelOutputs` says.
import type { onnx } from './onnx'

export const headInput = 'features'
export const headOutput = 'scores'

export interface OnnxHead {
  /** nodes reading `headInput` and writing `headOutput`; inner tensor names prefixed to stay unique */
  nodes: onnx.INodeProto[]
  initializers: onnx.ITensorProto[]
  /** operator sets the nodes use, e.g. { '': 17, 'ai.onnx.ml': 3 } */
  opsets: Record<string, number>
  /** true when `scores` are already probabilities (softmax inside); false for raw margins */
  probabilities: boolean
}
