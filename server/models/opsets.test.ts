import { describe, expect, it } from 'vitest'
import { onnx } from '@/nodes/_lib/models/onnx'
import { tinyClassifier } from '@/test/harness/onnx-models'
import { opsetsOf } from './opsets'

describe('the operator sets of an ONNX file, read from its top-level fields', () => {
  it('reads ai.onnx and other domains without decoding the graph', () => {
    expect(opsetsOf(tinyClassifier({ opset: 13 }))).toEqual({ '': 13 })
    const model = onnx.ModelProto.decode(tinyClassifier())
    model.opsetImport.push(onnx.OperatorSetIdProto.create({ domain: 'ai.onnx.ml', version: 3 }))
    expect(opsetsOf(onnx.ModelProto.encode(model).finish())).toEqual({ '': 17, 'ai.onnx.ml': 3 })
  })

  it('refuses bytes that end in the middle of a field', () => {
    const bytes = tinyClassifier()
    expect(() => opsetsOf(bytes.subarray(0, bytes.length - 3))).toThrow()
  })
})
