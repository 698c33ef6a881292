import ort from 'onnxruntime-node'
import { onnx } from './onnx'
import { describe, expect, it } from 'vitest'
import { headOnlyModel } from './head-model'
import { headInput, headOutput, type OnnxHead } from './onnx-head'

describe('a head alone as a model', () => {
  it('runs in onnxruntime-node with the batch dynamic', async () => {
    const weights = onnx.TensorProto.create({ name: 'w', dims: [2, 1], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [2, -1] })
    const head: OnnxHead = {
      nodes: [onnx.NodeProto.create({ opType: 'MatMul', input: [headInput, 'w'], output: [headOutput] })],
      initializers: [weights],
      opsets: { '': 17 },
      probabilities: false,
    }
    const session = await ort.InferenceSession.create(headOnlyModel(head, [2], 1))
    const result = await session.run({ [headInput]: new ort.Tensor('float32', Float32Array.from([1, 1, 3, 4]), [2, 2]) })
    expect([...(result[headOutput]!.data as Float32Array)]).toEqual([1, 2])
  })
})
