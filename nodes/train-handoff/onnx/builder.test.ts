import { onnx } from '../../_lib/models/onnx'
import { describe, expect, it } from 'vitest'
import { attr, floatTensor, int64Tensor, mergeOpsets, node, prefixer, renameSubgraph, stringTensor, valueInfo } from './builder'

describe('ONNX builder helpers', () => {
  it('refuses a tensor whose values do not fill its shape', () => {
    expect(() => floatTensor('w', [2, 3], [1, 2, 3])).toThrow(/shape \[2, 3\] holds 6 values, got 3/)
    expect(int64Tensor('s', [], [4]).int64Data).toEqual([4])
  })

  it('stores strings as UTF-8 and survives a protobuf round trip', () => {
    const t = stringTensor('names', [2], ['Gentoo 🐧', 'größe'])
    const back = onnx.TensorProto.decode(onnx.TensorProto.encode(t).finish())
    expect(back.stringData.map((b) => new TextDecoder().decode(b))).toEqual(['Gentoo 🐧', 'größe'])
    const a = onnx.AttributeProto.decode(onnx.AttributeProto.encode(attr.strings('cats', ['a b', '"q"'])).finish())
    expect(a.strings.map((b) => new TextDecoder().decode(b))).toEqual(['a b', '"q"'])
  })

  it('writes dynamic dimensions as names and fixed ones as sizes', () => {
    const v = valueInfo({ name: 'x [1]', type: 'uint8', shape: ['N', 'H', 3] })
    expect(v.type?.tensorType?.elemType).toBe(onnx.TensorProto.DataType.UINT8)
    expect(v.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || d.dimValue)).toEqual(['N', 'H', 3])
  })

  it('renames inner tensors but keeps the boundary, so two subgraphs never collide', () => {
    const graph = { nodes: [node('Relu', ['features', 'w'], ['scores'])], initializers: [floatTensor('w', [], [1])], opsets: { '': 17 } }
    const renamed = renameSubgraph(graph, ['features', 'scores'], prefixer('mlp'))
    expect(renamed.nodes[0]?.input).toEqual(['features', 'mlp/w'])
    expect(renamed.nodes[0]?.output).toEqual(['scores'])
    expect(renamed.initializers[0]?.name).toBe('mlp/w')
  })

  it('merges operator sets, the higher version winning', () => {
    expect(mergeOpsets({ '': 17, 'ai.onnx.ml': 1 }, { '': 18 }, { 'ai.onnx.ml': 3 })).toEqual({ '': 18, 'ai.onnx.ml': 3 })
  })
})
