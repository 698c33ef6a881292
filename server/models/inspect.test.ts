import { onnx } from '@/nodes/_lib/models/onnx'
import { describe, expect, it } from 'vitest'
import { tinyClassifier } from '@/test/harness/onnx-models'
import { inspectOnnx } from './inspect'

describe('reading an ONNX file\'s signature', () => {
  it('gives inputs, outputs, dynamic dims by name, opsets, IR version, producer and size', async () => {
    const bytes = tinyClassifier({ classes: 3 })
    const inspected = await inspectOnnx(bytes)
    expect(inspected).toEqual({
      inputs: [{ name: 'features', type: 'float32', shape: ['N', 2] }],
      outputs: [{ name: 'probabilities', type: 'float32', shape: ['N', 3] }],
      opsets: { '': 17 },
      irVersion: 8,
      producer: 'pipewright-test 1',
      sizeBytes: bytes.byteLength,
    })
    expect((await inspectOnnx(tinyClassifier({ batch: 4 }))).inputs[0]!.shape).toEqual([4, 2])
  })

  it('refuses what is not a servable ONNX model, saying what is wrong', async () => {
    const bytes = tinyClassifier()
    await expect(inspectOnnx(new Uint8Array())).rejects.toThrow('The file is empty (0 bytes)')
    await expect(inspectOnnx(bytes.subarray(0, bytes.byteLength - 7))).rejects.toThrow('The file is truncated')
    await expect(inspectOnnx(new TextEncoder().encode('id,value\n1,2\n'))).rejects.toThrow('The file is not an ONNX model')
    await expect(inspectOnnx(tinyClassifier({ opset: 3 }))).rejects.toThrow('The model uses ai.onnx operator set 3; Pipewright supports 7 to 21.')
    await expect(inspectOnnx(tinyClassifier({ opset: 99 }))).rejects.toThrow('operator set 99; Pipewright supports 7 to 21.')
    const unknownOp = onnx.ModelProto.decode(bytes)
    unknownOp.graph!.node![1]!.opType = 'NoSuchOperator'
    await expect(inspectOnnx(onnx.ModelProto.encode(unknownOp).finish())).rejects.toThrow('The model does not load in onnxruntime-node: ')
  })
})
