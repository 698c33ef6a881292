// Models registered as a pipeline would register them (their embedded metadata, with its reference
// profile), for the serving tests.
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import { recordArtifact } from '@/server/artifacts/metadata'
import { recordModelMetadata } from '@/server/models/metadata-store'
import { registerPublishedModel } from '@/server/models/registry'
import type { Services } from '@/server/services'

export async function registerTrained(services: Services, name: string, bytes: Uint8Array): Promise<number> {
  const metadata = readModelMetadata(bytes)
  if (!metadata) throw new Error('the model carries no Pipewright metadata')
  const blob = await services.store.putBytes(bytes)
  await recordArtifact(services.db, { id: blob.id, kind: 'model', sizeBytes: blob.sizeBytes, mediaType: 'application/onnx', filename: `${name}.model.onnx` })
  await recordModelMetadata(services.db, blob.id, metadata)
  return (await registerPublishedModel(services.db, { name, artifactId: blob.id })).version
}
