// A model of one head alone (input `features`, output `scores`): how trainers test their ONNX
// export against their own in-memory predictions before preprocessing is put in front of it.
import { onnx } from './onnx'
import { headInput, headOutput, type OnnxHead } from './onnx-head'

/** `featureShape` is the shape of one row without the batch, e.g. [20] or [3, 28, 28]. */
export function headOnlyModel(head: OnnxHead, featureShape: readonly number[], outputs: number): Uint8Array {
  const tensor = (name: string, dims: readonly (number | string)[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
    })
  const graph = onnx.GraphProto.create({
    name: 'head',
    node: head.nodes,
    initializer: head.initializers,
    input: [tensor(headInput, ['N', ...featureShape])],
    output: [tensor(headOutput, ['N', outputs])],
  })
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'pipewright',
    opsetImport: Object.entries(head.opsets).map(([domain, version]) => ({ domain, version })),
    graph,
  })
  return onnx.ModelProto.encode(model).finish()
}
