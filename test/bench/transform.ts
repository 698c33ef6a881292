// The transform node on 1,000,000 × 10 rows with five steps (fill_nulls, cast, filter, derive,
// scale), beside DuckDB alone running the equivalent SQL to Parquet: once the exact query the node
// ends with (its statistics already constants, so the node's statistics scans count against it),
// once the self-contained SQL the panel shows (statistics as subqueries).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { quoteLiteral, withDuckDB } from '@/nodes/_lib/duckdb'
import { describeParquet } from '@/nodes/_lib/parquet'
import { createTestContext, writeParquet } from '@/nodes/_lib/test-context'
import { compileTransform } from '@/nodes/transform/compile'
import { transform, transformConfig } from '@/nodes/transform/definition'
import { run } from '@/nodes/transform/run'

export interface TransformBench {
  benchmark: string
  product: string
  reference: string
  target: string
}

const config = transformConfig.parse({
  steps: [
    { op: 'fill_nulls', columns: ['reading [a]'], strategy: 'mean' },
    { op: 'cast', columns: ['code'], to: 'number', onError: 'null' },
    { op: 'filter', conditions: [{ column: 'count', operator: '>', value: 10 }, { column: 'kind', operator: '!=', value: 'k3' }] },
    { op: 'derive', name: 'ratio', expression: 'round("reading [a]" / (weight + 1), 3)' },
    { op: 'scale', columns: ['reading [a]', 'weight', 'code'], method: 'standard' },
  ],
})

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function tableSql(rows: number): string {
  return `SELECT range AS id,
      CASE WHEN range % 10 = 0 THEN NULL ELSE (range % 997) / 7.0 END::DOUBLE AS "reading [a]",
      CAST(range % 1000 AS VARCHAR) AS code,
      'k' || (range % 7) AS kind,
      (range % 313)::DOUBLE AS weight,
      (range % 100)::INTEGER AS count,
      random() AS noise,
      md5(CAST(range % 5000 AS VARCHAR)) AS tag,
      DATE '2024-01-01' + CAST(range % 365 AS INTEGER) AS day,
      range % 3 = 0 AS flag
    FROM range(${rows})`
}

async function duckdbAlone(sql: string, target: string): Promise<number> {
  const start = performance.now()
  await withDuckDB((db) => db.exec(`COPY (${sql}) TO ${quoteLiteral(target)} (FORMAT parquet)`))
  const took = performance.now() - start
  await rm(target, { force: true })
  return took
}

export async function benchTransform(rows: number): Promise<TransformBench> {
  const dir = await mkdtemp(join(tmpdir(), 'pipewright-bench-transform-'))
  try {
    const input = await writeParquet(join(dir, 'input.parquet'), tableSql(rows))
    const { schema } = await describeParquet(input)
    const source = `read_parquet(${quoteLiteral(input)})`
    const reference = compileTransform(config.steps, schema, source).sql

    const product: number[] = []
    const duckAlone: number[] = []
    const duckSelfContained: number[] = []
    let outRows = 0
    // one warm-up of each, then the median of three, interleaved
    for (let i = 0; i < 4; i++) {
      const t = await createTestContext(transform, config, { inputs: { dataset: input } })
      const start = performance.now()
      await run(t.ctx)
      const took = performance.now() - start
      outRows = (await describeParquet(t.outputs.dataset!)).rowCount
      const finalSql = t.logs.find((l) => l.level === 'debug' && l.message.startsWith('WITH'))?.message
      if (!finalSql) throw new Error('the transform logged no SQL')
      // before cleanup: the query reads the step's copy of the input
      const exact = await duckdbAlone(finalSql, join(dir, `exact-${i}.parquet`))
      await t.cleanup()
      const selfContained = await duckdbAlone(reference, join(dir, `reference-${i}.parquet`))
      if (i > 0) {
        product.push(took)
        duckAlone.push(exact)
        duckSelfContained.push(selfContained)
      }
    }
    const p = median(product)
    const d = median(duckAlone)
    const s = median(duckSelfContained)
    const productRate = rows / (p / 1000)
    const duckRate = rows / (d / 1000)
    return {
      benchmark: `transform (5 steps: fill_nulls mean, cast, filter, derive, scale), ${rows.toLocaleString('en')} × 10 Parquet → ${outRows.toLocaleString('en')} rows`,
      product: `${Math.round(productRate).toLocaleString('en')} rows/s (${(p / 1000).toFixed(2)} s)`,
      reference:
        `${Math.round(duckRate).toLocaleString('en')} rows/s (DuckDB alone, the node's final query, statistics as constants, ${(d / 1000).toFixed(2)} s); ` +
        `ratio ${(productRate / duckRate).toFixed(2)}×; the self-contained SQL with statistics as subqueries: ` +
        `${Math.round(rows / (s / 1000)).toLocaleString('en')} rows/s (${(s / 1000).toFixed(2)} s) (medians of 3)`,
      target: '≥ 0.7× of DuckDB alone',
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
