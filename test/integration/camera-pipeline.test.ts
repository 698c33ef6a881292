// The camera source through the real runner: its images land in the artifact store as blobs the
// dataset's rows point at, and a second run with the same seed is answered from the cache.
import { readFile } from 'node:fs/promises'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { quoteLiteral, withDuckDB } from '@/nodes/_lib/duckdb'
import { embeddedBackend, type Backend } from '../harness/backends'
import { runToEnd } from '../harness/run-pipeline'

let backend: Backend
beforeAll(async () => {
  backend = await embeddedBackend()
})
afterAll(() => backend.close())

const pipeline = {
  apiVersion: 'pipewright/v1',
  name: 'camera-only',
  nodes: [{ id: 'shoot', kind: 'ingest', config: { source: { type: 'camera', count: 12, width: 64, height: 40, defectRate: 0.5, seed: 3, surface: 'wood' } } }],
  edges: [],
}

describe('a camera pipeline', () => {
  it('stores every image as a PNG blob the dataset refers to', async () => {
    const run = await runToEnd(backend.services, pipeline)
    expect(run.status, JSON.stringify(run.steps.map((s) => s.error))).toBe('succeeded')
    const datasetId = (run.steps[0]!.outputs as Record<string, string>).dataset!
    const path = await backend.services.store.localPath(datasetId)
    const rows = await withDuckDB((db) => db.rows(`SELECT image, width, height, label, surface FROM read_parquet(${quoteLiteral(path)})`))
    expect(rows).toHaveLength(12)
    for (const row of rows) {
      expect(row).toMatchObject({ width: 64, height: 40, surface: 'wood' })
      const png = await readFile(await backend.services.store.localPath(String(row.image)))
      expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 64, height: 40 })
    }

    const again = await runToEnd(backend.services, pipeline)
    expect(again.steps[0]!.cached).toBe(true)
    expect(again.steps[0]!.outputs).toEqual(run.steps[0]!.outputs)
  })
})
