import fs from 'node:fs'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifacts } from '@/db/schema'
import { StepError } from '@/nodes/contract'
import { createOutputWriter } from '@/nodes/_lib/pending-outputs'
import { writeParquet } from '@/nodes/_lib/test-context'
import { recordArtifact } from '@/server/artifacts/metadata'
import { findModelMetadata } from '@/server/models/metadata-store'
import { tinyClassifier, tinyClassifierMetadata } from '@/test/harness/onnx-models'
import { embeddedBackend, type Backend } from '@/test/harness/backends'
import { publishOutputs } from './publish-outputs'

let backend: Backend
beforeAll(async () => {
  backend = await embeddedBackend()
})
afterAll(() => backend?.close())

const bytesOf = async (id: string) => fs.readFileSync(await backend.services.store.localPath(id))

describe('publishing a step\'s outputs, one publisher per port type', () => {
  it('stores every port type and the blobs its rows name, with their metadata', async () => {
    const scratch = backend.services.store.makeScratchDir('publish-test')
    const { writer, pending } = createOutputWriter(path.join(scratch, 'outputs'))
    await writeParquet(writer.datasetPath('table'), `SELECT 1 AS "a b", 'x' AS c`)
    await writer.report('summary', { passed: true, when: new Date(0) })
    const archive = path.join(scratch, 'made.zip')
    fs.writeFileSync(archive, 'PK-not-really')
    await writer.file('archive', archive, 'application/zip')
    const onnx = path.join(scratch, 'm.onnx')
    fs.writeFileSync(onnx, tinyClassifier())
    await writer.model('model', onnx, tinyClassifierMetadata())
    const image = new Uint8Array([137, 80, 78, 71, 1, 2, 3])
    const blobId = await writer.blob(image, 'image/png')
    expect(await writer.blob(image, 'image/png')).toBe(blobId)

    const outputs = await publishOutputs(
      backend.services,
      { kind: 'maker', nodeId: 'make' },
      { table: 'dataset', summary: 'report', archive: 'file', model: 'model' },
      pending,
    )

    const rows = await backend.services.db.select().from(artifacts)
    const byId = new Map(rows.map((row) => [row.id, row]))
    expect(byId.get(outputs.table!)).toMatchObject({ kind: 'dataset', rowCount: 1, filename: 'make.table.parquet' })
    expect(byId.get(outputs.table!)!.schema).toEqual([{ name: 'a b', type: 'INTEGER' }, { name: 'c', type: 'VARCHAR' }])
    expect(JSON.parse((await bytesOf(outputs.summary!)).toString())).toEqual({ passed: true, when: '1970-01-01T00:00:00.000Z' })
    expect(byId.get(outputs.archive!)).toMatchObject({ kind: 'file', mediaType: 'application/zip' })
    expect(byId.get(outputs.model!)).toMatchObject({ kind: 'model', mediaType: 'application/onnx', filename: 'make.model.onnx' })
    expect(await findModelMetadata(backend.services.db, outputs.model!)).toEqual(tinyClassifierMetadata())
    expect(byId.get(blobId)).toMatchObject({ kind: 'file', mediaType: 'image/png', sizeBytes: image.byteLength })
    expect([...(await bytesOf(blobId))]).toEqual([...image])
    // the executor's files were moved into its scratch, then into the store: nothing left where it wrote them
    expect(fs.existsSync(archive)).toBe(false)
  })

  it('refuses a declared port the executor never wrote, or wrote as another type', async () => {
    const scratch = backend.services.store.makeScratchDir('publish-test')
    const { writer, pending } = createOutputWriter(path.join(scratch, 'outputs'))
    await writer.report('out', {})
    await expect(publishOutputs(backend.services, { kind: 'maker', nodeId: 'm' }, { out: 'dataset' }, pending)).rejects.toThrow(
      'The maker executor wrote no "out" dataset.',
    )
    await expect(publishOutputs(backend.services, { kind: 'maker', nodeId: 'm' }, { missing: 'report' }, pending)).rejects.toThrow(
      'The maker executor wrote no "missing" report.',
    )
    const [none] = await backend.services.db.select().from(artifacts).where(eq(artifacts.filename, 'm.out.json'))
    expect(none).toBeUndefined()
  })

  it('gives bytes first uploaded as a file the dataset kind when a step publishes the same bytes', async () => {
    const scratch = backend.services.store.makeScratchDir('publish-test')
    const first = path.join(scratch, 'same.parquet')
    await writeParquet(first, `SELECT 42 AS answer`)
    const bytes = fs.readFileSync(first)
    const uploaded = await backend.services.store.putBytes(bytes)
    await recordArtifact(backend.services.db, { id: uploaded.id, kind: 'file', sizeBytes: uploaded.sizeBytes, mediaType: 'application/vnd.apache.parquet', filename: 'mine.parquet' })

    const { writer, pending } = createOutputWriter(path.join(scratch, 'outputs'))
    fs.writeFileSync(writer.datasetPath('table'), bytes)
    const outputs = await publishOutputs(backend.services, { kind: 'maker', nodeId: 'same' }, { table: 'dataset' }, pending)

    expect(outputs.table).toBe(uploaded.id)
    const [row] = await backend.services.db.select().from(artifacts).where(eq(artifacts.id, uploaded.id))
    expect(row).toMatchObject({ kind: 'dataset', rowCount: 1, filename: 'mine.parquet' })
    // and never the other way: a later upload of a dataset's bytes leaves it a dataset
    await recordArtifact(backend.services.db, { id: uploaded.id, kind: 'file', sizeBytes: uploaded.sizeBytes, mediaType: 'application/octet-stream', filename: 'again.parquet' })
    const [still] = await backend.services.db.select().from(artifacts).where(eq(artifacts.id, uploaded.id))
    expect(still).toMatchObject({ kind: 'dataset', rowCount: 1 })
  })

  it('fails the step, saying why, when a model disagrees with its metadata or does not load', async () => {
    const publishModel = async (bytes: Uint8Array | string, metadata = tinyClassifierMetadata()) => {
      const scratch = backend.services.store.makeScratchDir('publish-test')
      const { writer, pending } = createOutputWriter(path.join(scratch, 'outputs'))
      const file = path.join(scratch, 'm.onnx')
      fs.writeFileSync(file, bytes)
      await writer.model('model', file, metadata)
      return publishOutputs(backend.services, { kind: 'trainer', nodeId: 'train' }, { model: 'model' }, pending)
    }
    const refused = 'The "model" model of the trainer step was refused. '
    const wrongClasses = tinyClassifierMetadata({ classes: 4 })
    await expect(publishModel(tinyClassifier(), wrongClasses)).rejects.toThrow(
      `${refused}The model's signature disagrees with its metadata: output "probabilities" has shape [N, 3], the metadata says [N, 4].`,
    )
    const renamedBatch = tinyClassifierMetadata({ batch: 'batch' })
    await expect(publishModel(tinyClassifier(), renamedBatch)).rejects.toThrow('input "features" has shape [N, 2], the metadata says [batch, 2].')
    const wrongType = { ...tinyClassifierMetadata(), inputs: [{ name: 'features', type: 'float64' as const, shape: ['N', 2] }] }
    await expect(publishModel(tinyClassifier(), wrongType)).rejects.toThrow('input "features" is float32, the metadata says float64.')
    const wrongName = { ...tinyClassifierMetadata(), outputs: [{ name: 'scores', type: 'float32' as const, shape: ['N', 3] }] }
    await expect(publishModel(tinyClassifier(), wrongName)).rejects.toThrow('its outputs are probabilities, the metadata says scores.')
    await expect(publishModel('onnx-bytes')).rejects.toThrow(`${refused}The model does not load in onnxruntime-node: `)
    await expect(publishModel('onnx-bytes')).rejects.toBeInstanceOf(StepError)
  })

  it('refuses metadata that breaks the schema when the executor publishes the model', async () => {
    const scratch = backend.services.store.makeScratchDir('publish-test')
    const { writer } = createOutputWriter(path.join(scratch, 'outputs'))
    const file = path.join(scratch, 'm.onnx')
    fs.writeFileSync(file, tinyClassifier())
    await expect(writer.model('model', file, { ...tinyClassifierMetadata(), inputs: [] })).rejects.toThrow('The metadata of model "model" is invalid at inputs: ')
  })
})
