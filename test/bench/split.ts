// The split node on a wide table: the real executor beside DuckDB alone running the same split as
// hand-written SQL (a window over the label, three COPYs ordered by row position).
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { quoteLiteral, withDuckDB } from '@/nodes/_lib/duckdb'
import { createTestContext, writeParquet } from '@/nodes/_lib/test-context'
import { split } from '@/nodes/split/definition'
import { run } from '@/nodes/split/run'
import { tempDir } from '../harness/backends'

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/** rows × 10 columns: numbers, text, a timestamp and a five-class label with one rare class */
function wideTable(rows: number): string {
  return (
    `SELECT range AS id, random() AS a, random() * 100 AS b, (random() * 1000)::INT AS c, 'txt' || (range % 997) AS d, ` +
    `['cat', 'dog', 'bird', 'fish', 'ant'][1 + least(4, floor(-ln(random())))::INT] AS label, ` +
    `TIMESTAMP '2024-01-01' + to_seconds(range) AS ts, random() AS e, random() AS f, range % 13 AS g FROM range(${rows})`
  )
}

/** The same stratified 70/15/15 split, written the way one would by hand in DuckDB. */
async function duckdbAlone(input: string, dir: string): Promise<number> {
  return withDuckDB(
    async (db) => {
      const started = performance.now()
      const rank = `row_number() OVER (PARTITION BY label ORDER BY hash(42, file_row_number)) - 1`
      const size = `count(*) OVER (PARTITION BY label)`
      await db.exec(
        `CREATE TEMP TABLE s AS SELECT *, CASE WHEN ${rank} < ${size} * 0.7 THEN 0 WHEN ${rank} < ${size} * 0.85 THEN 1 ELSE 2 END AS side ` +
          `FROM read_parquet(${quoteLiteral(input)}, file_row_number = true)`,
      )
      for (const side of [0, 1, 2]) {
        const out = quoteLiteral(path.join(dir, `alone-${side}.parquet`))
        await db.exec(`COPY (SELECT * EXCLUDE (file_row_number, side) FROM s WHERE side = ${side} ORDER BY file_row_number) TO ${out} (FORMAT parquet)`)
      }
      return performance.now() - started
    },
    { tempDirectory: path.join(dir, 'duckdb-tmp') },
  )
}

async function splitNode(input: string): Promise<number> {
  const t = await createTestContext(split, { stratifyBy: 'label' }, { inputs: { dataset: input } })
  try {
    const started = performance.now()
    await run(t.ctx)
    return performance.now() - started
  } finally {
    await t.cleanup()
  }
}

export async function benchSplit(rows: number) {
  const dir = tempDir('bench-split')
  try {
    const input = await writeParquet(path.join(dir, 'wide.parquet'), wideTable(rows))
    const alone: number[] = []
    const node: number[] = []
    // alternate, after one warm-up of each, so a busy moment of the machine hits both alike
    await duckdbAlone(input, dir)
    await splitNode(input)
    for (let i = 0; i < 3; i++) {
      alone.push(await duckdbAlone(input, dir))
      node.push(await splitNode(input))
    }
    const nodeRate = rows / (median(node) / 1000)
    const aloneRate = rows / (median(alone) / 1000)
    return {
      benchmark: `split (stratified 70/15/15, report included), ${rows.toLocaleString('en')} × 10 Parquet`,
      product: `${Math.round(nodeRate).toLocaleString('en')} rows/s (${(median(node) / 1000).toFixed(2)} s)`,
      reference: `${Math.round(aloneRate).toLocaleString('en')} rows/s (DuckDB alone, the same split as SQL → 3 Parquet files, ${(median(alone) / 1000).toFixed(2)} s); ratio ${(nodeRate / aloneRate).toFixed(2)}× (medians of 3)`,
      target: '≥ 0.7× of DuckDB alone',
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
