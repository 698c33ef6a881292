import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployments } from '@/db/schema'
import { deploymentsOfPipelines } from '@/server/deployments/browse'
import { createDeployment } from '@/server/deployments/deployments'
import { importModelVersion } from '@/server/models/registry'
import { createEmptyPipeline } from '@/server/pipelines/pipelines'
import { linkPipeline } from '@/server/use-cases/links'
import { createUseCase, getUseCase, listUseCases } from '@/server/use-cases/use-cases'
import { embeddedBackend, type Backend } from '../harness/backends'
import { tinyClassifier } from '../harness/onnx-models'

/** The defaults `createDeploymentBody` fills in, for calling the service directly. */
const createBodyDefaults = { target: 'server', strategy: 'single', public: false } as const

/** What the use-case page reads about deployments, on the embedded database. */
describe('a use case and the deployments of its pipelines', () => {
  let backend: Backend
  beforeAll(async () => {
    backend = await embeddedBackend()
  })
  afterAll(async () => {
    await backend?.close()
  })

  it('lists the deployments its linked pipelines made, and shows the use case as deployed', async () => {
    const { db } = backend.services
    await importModelVersion(backend.services, { name: 'sizes', bytes: tinyClassifier(), labels: ['a', 'b', 'c'] })
    const pipeline = await createEmptyPipeline(db, 'sizes-training')
    const other = await createEmptyPipeline(db, 'unrelated')
    const useCase = await createUseCase(db, { title: 'Sort parcels by size', status: 'model' })
    await linkPipeline(db, useCase.id, { pipelineId: pipeline.id })
    expect((await getUseCase(db, useCase.id)).status).toBe('model')

    const by = { actorId: null, label: 'test' }
    await createDeployment(db, { ...createBodyDefaults, name: 'sizes-live', model: 'sizes', version: 1 }, by)
    await createDeployment(db, { ...createBodyDefaults, name: 'sizes-elsewhere', model: 'sizes', version: 1 }, by)
    // a deployment made by hand belongs to no pipeline: the status stays
    expect((await getUseCase(db, useCase.id)).status).toBe('model')

    // what a deploy step records
    await db.update(deployments).set({ pipelineId: pipeline.id }).where(eq(deployments.name, 'sizes-live'))
    await db.update(deployments).set({ pipelineId: other.id }).where(eq(deployments.name, 'sizes-elsewhere'))
    const shown = await getUseCase(db, useCase.id)
    expect(shown.status).toBe('deployed')
    expect((await listUseCases(db)).find((u) => u.id === useCase.id)?.status).toBe('deployed')
    const found = await deploymentsOfPipelines(db, shown.pipelines.map((p) => p.id))
    expect(found.map((d) => [d.name, d.pipelineId, d.versions])).toEqual([['sizes-live', pipeline.id, [{ version: 1, role: 'stable', weight: 100 }]]])
  })
})
