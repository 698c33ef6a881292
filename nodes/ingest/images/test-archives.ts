// The ingest executor run over archives in a temp folder, for the images source's test files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { StepError } from '../../contract'
import { createTestContext, readParquet, type TestRun } from '../../_lib/test-context'
import { ingest, ingestConfig } from '../definition'
import { run } from '../run'

export * from './fixtures'

type IngestRun = TestRun<unknown, never, never>

/** Registers a temp folder for the calling test file; runs ingest over an archive as an upload. */
export function useArchiveKit() {
  let dir = ''
  let count = 0
  const runs: IngestRun[] = []
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ingest-images-'))
  })
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.cleanup()))
    await rm(dir, { recursive: true, force: true })
  })

  async function prepare(filename: string, archive: Buffer, limits: { maxEntries?: number; maxUnpackedMiB?: number } = {}) {
    const path = join(dir, `${count++}-${filename}`)
    await writeFile(path, archive)
    const t = await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })
    runs.push(t as unknown as IngestRun)
    const artifactId = await t.addArtifact(path, filename)
    t.ctx.config = ingestConfig.parse({ source: { type: 'images', artifactId, ...limits } })
    return t
  }

  /** Runs ingest; gives the image rows, the quarantine rows and the run. */
  async function ingestArchive(filename: string, archive: Buffer, limits: { maxEntries?: number; maxUnpackedMiB?: number } = {}) {
    const t = await prepare(filename, archive, limits)
    await run(t.ctx)
    return { t, rows: await readParquet(t.outputs.dataset!), quarantine: await readParquet(t.outputs.quarantine!) }
  }

  /** Runs ingest expecting a StepError; gives its message and the run (to check nothing was kept). */
  async function ingestRefused(filename: string, archive: Buffer, limits: { maxEntries?: number; maxUnpackedMiB?: number } = {}) {
    const t = await prepare(filename, archive, limits)
    const error = await run(t.ctx).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StepError)
    return { message: (error as StepError).message, t }
  }

  return { ingestArchive, ingestRefused }
}
