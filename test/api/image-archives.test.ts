// An archive of labelled images, uploaded over REST and read by an ingest step on the real
// runner: the images land in the store as blobs, and an archive that is refused leaves none.
import { like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifacts } from '@/db/schema'
import { closeServices, getServices } from '@/server/services'
import { image, lieAboutSize, tarGzOf, zipOf } from '@/nodes/ingest/images/test-archives'
import { tempDir } from '../harness/backends'
import { call } from '../harness/routes'

process.env.PIPEWRIGHT_DATA_DIR = tempDir('api-images')
process.env.LOG_LEVEL = 'silent'
delete process.env.DATABASE_URL
delete process.env.REDIS_URL

const setupRoute = await import('@/app/api/v1/setup/route')
const pipelinesRoute = await import('@/app/api/v1/pipelines/route')
const runsRoute = await import('@/app/api/v1/pipelines/[pipelineId]/runs/route')
const runRoute = await import('@/app/api/v1/runs/[runId]/route')
const uploadsRoute = await import('@/app/api/v1/uploads/route')
const artifactRoute = await import('@/app/api/v1/artifacts/[artifactId]/route')
const previewRoute = await import('@/app/api/v1/artifacts/[artifactId]/preview/route')

let token = ''

async function upload(filename: string, body: Buffer): Promise<string> {
  const response = await call(uploadsRoute.POST, 'POST', `/api/v1/uploads?filename=${encodeURIComponent(filename)}`, {}, { token, body: new Uint8Array(body) })
  expect(response.status).toBe(201)
  return response.body.artifactId
}

async function runIngest(name: string, artifactId: string) {
  const file = { apiVersion: 'pipewright/v1', name, nodes: [{ id: 'load', kind: 'ingest', config: { source: { type: 'images', artifactId } } }], edges: [] }
  const created = await call(pipelinesRoute.POST, 'POST', '/api/v1/pipelines', {}, { token, json: file })
  expect(created.status).toBe(201)
  const pipelineId = created.body.id
  const started = await call(runsRoute.POST, 'POST', `/api/v1/pipelines/${pipelineId}/runs`, { pipelineId }, { token })
  for (let i = 0; i < 300; i++) {
    const run = await call(runRoute.GET, 'GET', `/api/v1/runs/${started.body.runId}`, { runId: started.body.runId }, { token })
    if (['succeeded', 'failed', 'canceled'].includes(run.body.status)) return run.body
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('run did not finish')
}

async function storedImages(): Promise<string[]> {
  const { db } = await getServices()
  const rows = await db.select({ id: artifacts.id }).from(artifacts).where(like(artifacts.mediaType, 'image/%'))
  return rows.map((r) => r.id)
}

describe('image archives over the REST API', () => {
  beforeAll(async () => {
    const created = await call(setupRoute.POST, 'POST', '/api/v1/setup', {}, { json: { email: 'owner@example.com', password: 'correct horse battery', name: 'Owner' } })
    token = created.body.token
  })
  afterAll(async () => closeServices(await getServices()))

  it('stores .zip, .tar, .tgz and .tar.gz uploads with an archive media type', async () => {
    const archive = await tarGzOf({ 'a/x.png': await image('png') })
    for (const [filename, mediaType] of [
      ['set.zip', 'application/zip'],
      ['set.tar', 'application/x-tar'],
      ['set.tgz', 'application/gzip'],
      ['set.tar.gz', 'application/gzip'],
    ]) {
      const artifactId = await upload(filename!, Buffer.concat([archive, Buffer.from(filename!)]))
      const meta = await call(artifactRoute.GET, 'GET', `/api/v1/artifacts/${artifactId}`, { artifactId }, { token })
      expect(meta.body.mediaType, filename).toBe(mediaType)
    }
  })

  it('runs an uploaded zip into an image dataset and a quarantine, with the images stored as blobs', async () => {
    const ok = await image('png', 12, 12, 10)
    const scratch = await image('jpeg', 12, 12, 220)
    const artifactId = await upload('parts.zip', zipOf({ 'parts/ok/1.png': ok, 'parts/scratch/2.jpg': scratch, 'parts/ok/broken.png': 'not a picture' }))
    const run = await runIngest('images-ok', artifactId)
    expect(run.status).toBe('succeeded')
    const load = run.steps.find((s: { nodeId: string }) => s.nodeId === 'load')
    expect(Object.keys(load.outputs).sort()).toEqual(['dataset', 'quarantine'])

    const dataset = await call(previewRoute.GET, 'GET', `/api/v1/artifacts/${load.outputs.dataset}/preview`, { artifactId: load.outputs.dataset }, { token })
    expect(dataset.body.rows.map((r: Record<string, unknown>) => [r.label, r.width, r.file])).toEqual([
      ['ok', 12, 'parts/ok/1.png'],
      ['scratch', 12, 'parts/scratch/2.jpg'],
    ])
    const images = await storedImages()
    for (const row of dataset.body.rows) expect(images).toContain(row.image)

    const quarantine = await call(previewRoute.GET, 'GET', `/api/v1/artifacts/${load.outputs.quarantine}/preview`, { artifactId: load.outputs.quarantine }, { token })
    expect(quarantine.body.rows).toEqual([{ file: 'parts/ok/broken.png', _reasons: ['is not an image (its bytes are not PNG, JPEG or WebP)'] }])
  })

  it('fails the run on a zip-slip entry and stores none of the archive’s images', async () => {
    const before = await storedImages()
    const fresh = await image('png', 7, 7, 77)
    const artifactId = await upload('evil.zip', zipOf({ 'cat/a.png': fresh, '../../outside.png': fresh }))
    const run = await runIngest('images-slip', artifactId)
    expect(run.status).toBe('failed')
    const load = run.steps.find((s: { nodeId: string }) => s.nodeId === 'load')
    expect(load.error).toContain('its entry "../../outside.png" points outside the archive')
    expect(await storedImages()).toEqual(before)
  })

  it('fails the run on an entry that inflates past its declared size, and stores none of the images read before it', async () => {
    const before = await storedImages()
    const zip = zipOf({ 'cat/a.png': await image('png', 9, 9, 99), 'cat/b.png': await image('png', 9, 9, 98), 'cat/z.png': new Uint8Array(100_000) })
    lieAboutSize(zip, 'cat/z.png', 500)
    const run = await runIngest('images-liar', await upload('liar.zip', zip))
    expect(run.status).toBe('failed')
    expect(run.steps[0].error).toContain('inflates to more than the 500 B its header declares')
    expect(await storedImages()).toEqual(before)
  })
})
