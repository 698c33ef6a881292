// A Pipewright model carries its metadata inside the ONNX file too (metadata_props), so a file
// that leaves the product (a download, an edge device) still says what it expects.
import { onnx } from './onnx'
import { modelMetadataSchema, type ModelMetadata } from './metadata'

export const metadataKey = 'pipewright'

/** The metadata a Pipewright model file carries; undefined for other ONNX files. */
export function readModelMetadata(bytes: Uint8Array): ModelMetadata | undefined {
  const model = onnx.ModelProto.decode(bytes)
  const entry = model.metadataProps.find((p) => p.key === metadataKey)
  return entry?.value ? modelMetadataSchema.parse(JSON.parse(entry.value)) : undefined
}
