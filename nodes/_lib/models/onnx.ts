// onnx-proto is a CommonJS module whose named exports Node's ESM loader cannot see: under the
// worker process (tsx) `import { onnx } from 'onnx-proto'` fails while bundlers and vitest accept
// it. Everything imports `onnx` from here: the value from the default export, its types beside it.
import onnxProto from 'onnx-proto'
import type { onnx as types } from 'onnx-proto'

export const onnx = onnxProto.onnx

// a namespace of types only: it merges with the value above, so `onnx.INodeProto` reads as before
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace onnx {
  export type INodeProto = types.INodeProto
  export type ITensorProto = types.ITensorProto
  export type IAttributeProto = types.IAttributeProto
  export type IValueInfoProto = types.IValueInfoProto
  export type IGraphProto = types.IGraphProto
  export type IModelProto = types.IModelProto
  export type ModelProto = types.ModelProto
  export type GraphProto = types.GraphProto
  export type TensorProto = types.TensorProto
  export namespace TensorProto {
    export type DataType = types.TensorProto.DataType
  }
  export namespace AttributeProto {
    export type AttributeType = types.AttributeProto.AttributeType
  }
  export type NodeProto = types.NodeProto
}
