// Shared by the transform test files: the real executor over real Parquet files in a temp folder.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import type { z } from 'zod'
import { StepError } from '../contract'
import { withDuckDB } from '../_lib/duckdb'
import { createTestContext, readParquet, writeParquet, type TestRun } from '../_lib/test-context'
import { transform, transformConfig } from './definition'
import { run } from './run'

export type TransformInput = z.input<typeof transformConfig>
type AnyTestRun = TestRun<unknown, never, never>

/** Registers the temp folder's lifecycle in the calling test file and returns the helpers. */
export function useTransformKit() {
  let dir = ''
  let fixtureCount = 0
  const runs: AnyTestRun[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'transform-test-'))
  })
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.cleanup()))
    await rm(dir, { recursive: true, force: true })
  })

  /** a Parquet input from a DuckDB SELECT */
  async function dataset(select: string): Promise<string> {
    return writeParquet(join(dir, `input-${fixtureCount++}.parquet`), select)
  }

  async function start(input: string, config: TransformInput) {
    const t = await createTestContext(transform, config, { inputs: { dataset: input } })
    runs.push(t as unknown as AnyTestRun)
    return t
  }

  /** runs the transform; gives the output rows and its column types */
  async function transformRun(input: string, config: TransformInput) {
    const t = await start(input, config)
    await run(t.ctx)
    const path = t.outputs.dataset!
    const rows = await readParquet(path)
    const types = await withDuckDB(async (db) =>
      Object.fromEntries(
        (await db.rows(`DESCRIBE SELECT * FROM read_parquet('${path.replaceAll("'", "''")}')`)).map((r) => [String(r.column_name), String(r.column_type)]),
      ),
    )
    return { t, rows, types, path }
  }

  async function transformFails(input: string, config: TransformInput): Promise<StepError> {
    const t = await start(input, config)
    const error = await run(t.ctx).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StepError)
    return error as StepError
  }

  return { dataset, start, transformRun, transformFails, tempDir: () => dir }
}
