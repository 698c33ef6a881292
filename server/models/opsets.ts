// The operator sets an ONNX file imports, read from its top-level fields only: the model card shows
// them for trained and imported versions alike, and skipping the graph (field 7) keeps this cheap
// for a model of hundreds of megabytes.
import fs from 'node:fs/promises'
import { onnx } from '@/nodes/_lib/models/onnx'
import type { ArtifactStore } from '@/server/artifacts/store'

const opsetImportField = 8

function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0
  let scale = 1
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    value += (bytes[i]! & 0x7f) * scale
    scale *= 128
    if ((bytes[i]! & 0x80) === 0) return [value, i + 1]
  }
  throw new Error('a varint runs past the end of the file')
}

/** domain ('' is ai.onnx) → version, from the file's bytes. */
export function opsetsOf(bytes: Uint8Array): Record<string, number> {
  const opsets: Record<string, number> = {}
  let at = 0
  while (at < bytes.length) {
    const [tag, afterTag] = readVarint(bytes, at)
    const wireType = tag & 7
    if (wireType === 0) at = readVarint(bytes, afterTag)[1]
    else if (wireType === 1) at = afterTag + 8
    else if (wireType === 5) at = afterTag + 4
    else if (wireType === 2) {
      const [length, start] = readVarint(bytes, afterTag)
      if (tag >>> 3 === opsetImportField) {
        const entry = onnx.OperatorSetIdProto.decode(bytes.subarray(start, start + length))
        opsets[entry.domain === 'ai.onnx' ? '' : (entry.domain ?? '')] = Number(entry.version)
      }
      at = start + length
    } else throw new Error(`wire type ${wireType} is not one an ONNX file uses at its top level`)
  }
  return opsets
}

/** The stored version's operator sets, or null when its bytes are gone or unreadable (the card still shows the rest). */
export async function storedOpsets(store: ArtifactStore, artifactId: string): Promise<Record<string, number> | null> {
  try {
    if (!(await store.has(artifactId))) return null
    return opsetsOf(await fs.readFile(await store.localPath(artifactId)))
  } catch {
    return null
  }
}
