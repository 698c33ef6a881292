// Shared by the augment test files: real executor runs over real Parquet files in a temp folder.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import type { z } from 'zod'
import { StepError } from '../contract'
import { createTestContext, readParquet, sha256File, writeParquet, type TestRun } from '../_lib/test-context'
import { augment, augmentConfig, augmentReport } from './definition'
import { run } from './run'

export type AugmentInput = z.input<typeof augmentConfig>
type AnyTestRun = TestRun<unknown, never, never>

/** Registers the temp folder's lifecycle in the calling test file and returns the helpers. */
export function useAugmentKit() {
  let dir = ''
  let fixtureCount = 0
  const runs: AnyTestRun[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'augment-test-'))
  })
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.cleanup()))
    await rm(dir, { recursive: true, force: true })
  })

  /** a Parquet input from a DuckDB SELECT */
  async function dataset(select: string): Promise<string> {
    return writeParquet(join(dir, `input-${fixtureCount++}.parquet`), select)
  }

  async function augmentRun(input: string, config: AugmentInput) {
    const t = await createTestContext(augment, config, { inputs: { dataset: input } })
    runs.push(t as unknown as AnyTestRun)
    await run(t.ctx)
    const report = augmentReport.parse(t.reports.report)
    const rows = await readParquet(t.outputs.dataset!)
    return { t, report, rows, sha256: await sha256File(t.outputs.dataset!) }
  }

  async function augmentFails(input: string, config: AugmentInput): Promise<StepError> {
    // a config the schema refuses fails when the context is built, as in the runner
    const error = await createTestContext(augment, config, { inputs: { dataset: input } }).then(
      (t) => {
        runs.push(t as unknown as AnyTestRun)
        return run(t.ctx).then(
          () => undefined,
          (e: unknown) => e,
        )
      },
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StepError)
    return error as StepError
  }

  return { dataset, augmentRun, augmentFails, tempDir: () => dir, runs }
}
