// Shared by the validate test files: real executors over real Parquet files in a temp folder.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import type { z } from 'zod'
import { StepError } from '../contract'
import { createTestContext, readParquet, writeParquet, type TestRun } from '../_lib/test-context'
import { validate, validateConfig, validationReport } from './definition'
import { run } from './run'

export type ValidateInput = z.input<typeof validateConfig>
export type AnyTestRun = TestRun<unknown, never, never>

/** Registers the temp folder's lifecycle in the calling test file and returns the helpers. */
export function useValidateKit() {
  let dir = ''
  let fixtureCount = 0
  const runs: AnyTestRun[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'validate-test-'))
  })
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.cleanup()))
    await rm(dir, { recursive: true, force: true })
  })

  /** a Parquet input from a DuckDB SELECT */
  async function dataset(select: string): Promise<string> {
    return writeParquet(join(dir, `input-${fixtureCount++}.parquet`), select)
  }

  async function validateRun(input: string, config: ValidateInput) {
    const t = await createTestContext(validate, config, { inputs: { dataset: input } })
    runs.push(t as unknown as AnyTestRun)
    await run(t.ctx)
    const report = validationReport.parse(t.reports.report)
    const clean = await readParquet(t.outputs.clean!)
    const quarantine = await readParquet(t.outputs.quarantine!)
    return { t, report, clean, quarantine }
  }

  async function validateFails(input: string, config: ValidateInput): Promise<{ error: StepError; t: AnyTestRun }> {
    const t = await createTestContext(validate, config, { inputs: { dataset: input } })
    runs.push(t as unknown as AnyTestRun)
    const error = await run(t.ctx).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StepError)
    return { error: error as StepError, t: t as unknown as AnyTestRun }
  }

  return { dataset, validateRun, validateFails, runs, tempDir: () => dir }
}
