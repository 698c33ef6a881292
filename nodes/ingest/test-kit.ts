// Shared by the ingest test files: the real executor over files in a temp folder.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import type { z } from 'zod'
import { StepError } from '../contract'
import { createTestContext, readParquet, type TestRun } from '../_lib/test-context'
import { describeParquet } from '../_lib/parquet'
import { ingest, ingestConfig, type FileFormat } from './definition'
import { run } from './run'

export type IngestInput = z.input<typeof ingestConfig>
export type AnyRun = TestRun<unknown, never, never>
export type Extra = { badRows?: IngestInput['badRows']; format?: FileFormat; nullValues?: string[] }

/** Registers the temp folder's lifecycle in the calling test file and returns the helpers. */
export function useIngestKit() {
  let dir = ''
  let fileCount = 0
  const runs: AnyRun[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ingest-test-'))
  })
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.cleanup()))
    await rm(dir, { recursive: true, force: true })
  })

  async function file(name: string, content: string | Buffer): Promise<string> {
    const sub = join(dir, String(fileCount++))
    await mkdir(sub)
    const path = join(sub, name)
    await writeFile(path, content)
    return path
  }

  /** Runs ingest over an uploaded file with the given name and content. */
  async function ingestUpload(name: string | null, content: string | Buffer, extra: Extra = {}) {
    const path = await file(name ?? 'blob', content)
    const t = await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })
    runs.push(t as unknown as AnyRun)
    const artifactId = await t.addArtifact(path, name)
    const { format, ...rest } = extra
    t.ctx.config = ingestConfig.parse({ source: { type: 'upload', artifactId, ...(format ? { format } : {}) }, ...rest })
    return t
  }

  async function ingestOk(name: string | null, content: string | Buffer, extra: Extra = {}) {
    const t = await ingestUpload(name, content, extra)
    await run(t.ctx)
    const described = await describeParquet(t.outputs.dataset!)
    return { t, rows: await readParquet(t.outputs.dataset!), ...described }
  }

  async function ingestError(name: string | null, content: string | Buffer, extra: Extra = {}) {
    const t = await ingestUpload(name, content, extra)
    const error = await run(t.ctx).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StepError)
    return (error as StepError).message
  }

  return { file, ingestUpload, ingestOk, ingestError, runs, tempDir: () => dir }
}
