import { describe, expect, it } from 'vitest'
import { onnx } from '../onnx'
import { headOnlyModel } from '../head-model'
import { headInput, headOutput, type OnnxHead } from '../onnx-head'
import { ModelLoadError, SessionThread } from './session-thread'

/** y = 2·a − b, batch dynamic. */
function linearModel(): Uint8Array {
  const weights = onnx.TensorProto.create({ name: 'w', dims: [2, 1], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [2, -1] })
  const head: OnnxHead = {
    nodes: [onnx.NodeProto.create({ opType: 'MatMul', input: [headInput, 'w'], output: [headOutput] })],
    initializers: [weights],
    opsets: { '': 17 },
    probabilities: false,
  }
  return headOnlyModel(head, [2], 1)
}

const rows = (pairs: number[][]) => ({ [headInput]: { type: 'float32', data: Float32Array.from(pairs.flat()), dims: [pairs.length, 2] } })

describe('a model in its own thread', () => {
  it('loads, describes its inputs and answers runs in the order they were sent', async () => {
    const thread = await SessionThread.open({ bytes: linearModel() })
    try {
      expect(thread.inputs.map((i) => i.name)).toEqual([headInput])
      const answers = await Promise.all(Array.from({ length: 20 }, (_, k) => thread.run(rows([[k, 1]]))))
      expect(answers.map((a) => (a[headOutput]!.data as Float32Array)[0])).toEqual(Array.from({ length: 20 }, (_, k) => 2 * k - 1))
      expect(answers[0]![headOutput]!.dims).toEqual([1, 1])
    } finally {
      await thread.release()
    }
  })

  it('refuses bytes that are not a model, naming onnxruntime\'s reason', async () => {
    await expect(SessionThread.open({ bytes: new TextEncoder().encode('not a model') })).rejects.toBeInstanceOf(ModelLoadError)
  })

  it('fails one bad run with the reason and keeps answering the next', async () => {
    const thread = await SessionThread.open({ bytes: linearModel() })
    try {
      await expect(thread.run({ [headInput]: { type: 'float32', data: Float32Array.from([1, 2, 3]), dims: [1, 3] } })).rejects.toThrow(/dim|shape|Got/i)
      const ok = await thread.run(rows([[3, 1]]))
      expect((ok[headOutput]!.data as Float32Array)[0]).toBe(5)
    } finally {
      await thread.release()
    }
  })

  // ending a thread inside a native onnxruntime run can abort the whole process: only an idle one is ended here
  it('refuses runs once terminated', async () => {
    const thread = await SessionThread.open({ bytes: linearModel() })
    await thread.run(rows([[1, 1]]))
    await thread.terminate()
    await expect(thread.run(rows([[1, 1]]))).rejects.toThrow(/stopped/)
  })
})
