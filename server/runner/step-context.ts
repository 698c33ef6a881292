import fs from 'node:fs'
import type { Db } from '@/db'
import type { InputArtifact } from '@/nodes/contract'
import { StepError } from '@/nodes/contract'
import { findArtifact } from '@/server/artifacts/metadata'
import { isArtifactId, type ArtifactStore } from '@/server/artifacts/store'
import { findModelMetadata } from '@/server/models/metadata-store'

export { buildStepContext } from '@/nodes/_lib/context-builder'

export async function resolveInput(db: Db, store: ArtifactStore, id: string): Promise<InputArtifact> {
  if (!isArtifactId(id)) throw new StepError(`"${id}" is not an artifact id (a sha256 in hex).`)
  const row = await findArtifact(db, id)
  if (!row || !(await store.has(id))) throw new StepError(`Artifact ${id} does not exist. Upload the file again.`)
  const model = row.kind === 'model' ? await findModelMetadata(db, id) : undefined
  return { id, kind: row.kind, path: await store.localPath(id), filename: row.filename, rowCount: row.rowCount, schema: row.schema, ...(model !== undefined ? { model } : {}) }
}

/** A blob's bytes from the store; a missing one is the user's problem to hear about, not a crash. */
export async function readStoredBlob(store: ArtifactStore, id: string): Promise<Buffer> {
  if (!isArtifactId(id)) throw new StepError(`"${String(id).slice(0, 80)}" is not a blob id (a sha256 in hex).`)
  if (!(await store.has(id))) throw new StepError(`Blob ${id} is not in the artifact store; the dataset refers to an image that is gone.`)
  return fs.promises.readFile(await store.localPath(id))
}
