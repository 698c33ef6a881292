// Shared by the split test files: the real executor over real Parquet files in a temp folder.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import type { z } from 'zod'
import { StepError } from '../contract'
import { createTestContext, readParquet, sha256File, writeParquet } from '../_lib/test-context'
import { describeParquet } from '../_lib/parquet'
import { split, splitConfig, splitReport, splitSides, type SplitSide } from './definition'
import { run } from './run'

export type SplitInput = z.input<typeof splitConfig>
/** anything that leaves files behind until cleaned up */
interface Cleanable {
  cleanup(): Promise<void>
}

/** Registers the temp folder's lifecycle in the calling test file and returns the helpers. */
export function useSplitKit() {
  let dir = ''
  let fixtureCount = 0
  const runs: Cleanable[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'split-test-'))
  })
  afterAll(async () => {
    await Promise.all(runs.map((r) => r.cleanup()))
    await rm(dir, { recursive: true, force: true })
  })

  /** a Parquet input from a DuckDB SELECT */
  async function dataset(select: string): Promise<string> {
    return writeParquet(join(dir, `input-${fixtureCount++}.parquet`), select)
  }

  /** a test context for the split, cleaned up with the temp folder */
  async function splitContext(input: string, config: SplitInput) {
    const t = await createTestContext(split, config, { inputs: { dataset: input } })
    runs.push(t)
    return t
  }

  /** Runs the split; gives the report, each side's rows, schema and file hash. */
  async function splitRun(input: string, config: SplitInput) {
    const t = await splitContext(input, config)
    await run(t.ctx)
    const report = splitReport.parse(t.reports.report)
    const sides = {} as Record<SplitSide, Awaited<ReturnType<typeof readSide>>>
    for (const side of splitSides) sides[side] = await readSide(t.outputs[side]!)
    return { t, report, ...sides }
  }

  async function splitFails(input: string, config: SplitInput): Promise<StepError> {
    const t = await splitContext(input, config)
    const error = await run(t.ctx).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StepError)
    return error as StepError
  }

  return { dataset, splitContext, splitRun, splitFails, cleanUpLater: (t: Cleanable) => void runs.push(t) }
}

async function readSide(path: string) {
  const [rows, { schema }, sha256] = await Promise.all([readParquet(path), describeParquet(path), sha256File(path)])
  return { rows, schema, sha256 }
}

/** `n` rows: id 0…n-1, a label `label` drawn from `labels` by a fixed pattern, and a value. */
export function labelledRows(n: number, labels: string[]): string {
  const list = `[${labels.map((l) => `'${l.replaceAll("'", "''")}'`).join(', ')}]`
  return `SELECT range AS id, ${list}[1 + (range * 7 + range // 3) % ${labels.length}] AS label, range * 0.5 AS x FROM range(${n})`
}
