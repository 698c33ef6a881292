import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lineageView, listModelsForPage, listVersionsForPage, versionsOfArtifact } from '@/server/models/browse'
import { storedOpsets } from '@/server/models/opsets'
import { getModelVersion, importModelVersion, moveAlias, registerModelVersion } from '@/server/models/registry'
import { embeddedBackend, type Backend } from '../harness/backends'
import { tinyClassifier, tinyClassifierMetadata } from '../harness/onnx-models'
import { runToEnd } from '../harness/run-pipeline'
import { samplePipelineFiles } from '@/server/seed/seed'

/** What the registry's pages read, on the embedded database with a real trained model. */
describe('the data behind the model pages', () => {
  let backend: Backend
  beforeAll(async () => {
    backend = await embeddedBackend()
  })
  afterAll(async () => {
    await backend?.close()
  })

  it('heads a model with its champion’s metrics, else its latest version’s, newest change first', async () => {
    const { db } = backend.services
    const first = await importModelVersion(backend.services, { name: 'sizes', bytes: tinyClassifier(), labels: ['a', 'b', 'c'] })
    const metadata = (metrics: Record<string, number>) => ({ ...tinyClassifierMetadata(), metrics })
    await registerModelVersion(db, { name: 'sizes', artifactId: first.artifactId, metadata: metadata({ val_accuracy: 0.8, epochs: 10 }) })
    await registerModelVersion(db, { name: 'sizes', artifactId: first.artifactId, metadata: metadata({ val_accuracy: 0.9, epochs: 12 }) })
    expect((await listModelsForPage(db)).find((m) => m.name === 'sizes')).toMatchObject({ latestVersion: 3, aliases: [], measured: { version: 3, metrics: { val_accuracy: 0.9 } } })

    await moveAlias(db, { name: 'sizes', alias: 'champion', version: 2 })
    await importModelVersion(backend.services, { name: 'other', bytes: tinyClassifier({ classes: 2 }) })
    const [newest, sizes] = await listModelsForPage(db)
    expect(newest!.name).toBe('other')
    expect(sizes).toMatchObject({ name: 'sizes', aliases: [{ alias: 'champion', version: 2 }], measured: { version: 2, metrics: { val_accuracy: 0.8 } } })

    const { versions } = await listVersionsForPage(db, 'sizes')
    expect(versions.map((v) => [v.version, v.runId, v.aliases, v.metrics.val_accuracy])).toEqual([
      [3, null, [], 0.9],
      [2, null, ['champion'], 0.8],
      [1, null, [], undefined],
    ])
    await expect(listVersionsForPage(db, 'nothing-here')).rejects.toThrow('No model named "nothing-here".')
  })

  it('finds the steps of the run that wrote a trained version’s datasets, and its opsets from the file', async () => {
    const penguins = samplePipelineFiles().find((f) => (f as { name: string }).name === 'penguin-species') as { name: string }
    const run = await runToEnd(backend.services, penguins)
    expect(run.status).toBe('succeeded')
    const version = await getModelVersion(backend.services.db, 'penguin-species', 1)
    const lineage = await lineageView(backend.services.db, version.lineage!)
    expect(lineage).toMatchObject({ runId: run.id, pipeline: { name: 'penguin-species' }, pipelineVersion: 1, nodeId: 'train', run: { status: 'succeeded' } })
    expect(lineage.inputs.map((i) => i.producer)).toEqual([
      { nodeId: 'split', port: 'train' },
      { nodeId: 'split', port: 'validation' },
    ])
    expect(await versionsOfArtifact(backend.services.db, version.artifactId)).toEqual([{ name: 'penguin-species', version: 1 }])
    expect((await storedOpsets(backend.services.store, version.artifactId))?.['']).toBeGreaterThanOrEqual(7)
    expect(await storedOpsets(backend.services.store, 'f'.repeat(64))).toBeNull()
  })
})
