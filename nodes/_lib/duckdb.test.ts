import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { quoteIdent, quoteLiteral, valueKind, withDuckDB } from './duckdb'
import { describeParquet, previewParquet, profileParquet } from './parquet'
import { writeParquet } from './test-context'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duckdb-lib-test-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('quoting', () => {
  it('quotes identifiers and literals', () => {
    expect(quoteIdent('temp [°C]')).toBe('"temp [°C]"')
    expect(quoteIdent('a "quoted" col')).toBe('"a ""quoted"" col"')
    expect(quoteLiteral("it's")).toBe("'it''s'")
  })

  it('round-trips any column name and any text through DuckDB', async () => {
    await withDuckDB(async (db) => {
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), async (name, text) => {
          fc.pre(!name.includes('\0') && !text.includes('\0'))
          const rows = await db.rows(`SELECT ${quoteLiteral(text)} AS ${quoteIdent(name)}`)
          expect(rows).toEqual([{ [name]: text }])
        }),
        { numRuns: 200 },
      )
    })
  })
})

describe('JSON-safe rows', () => {
  it('converts big integers, decimals, dates, timestamps, NaN and nested values', async () => {
    const rows = await withDuckDB((db) =>
      db.rows(`SELECT 42::BIGINT AS small, 9007199254740993::BIGINT AS big, 12.50::DECIMAL(5,2) AS dec,
                      DATE '2024-01-02' AS d, TIMESTAMP '2024-01-02 10:00:00.5' AS ts,
                      TIMESTAMPTZ '2024-01-02 10:00:00+02' AS tz, 'NaN'::DOUBLE AS nan, [1, 2]::INTEGER[] AS list,
                      {'a': 'x', 'n': 2::BIGINT, 't': [TIMESTAMP '2024-01-01 00:00:00']} AS obj, MAP {1::BIGINT: 2::BIGINT} AS m, NULL::VARCHAR AS nothing, true AS yes`),
    )
    expect(rows).toEqual([
      {
        small: 42,
        big: '9007199254740993',
        dec: 12.5,
        d: '2024-01-02',
        ts: '2024-01-02T10:00:00.5',
        tz: '2024-01-02T08:00:00Z',
        nan: 'NaN',
        list: [1, 2],
        obj: { a: 'x', n: 2, t: ['2024-01-01T00:00:00'] },
        m: [{ key: 1, value: 2 }],
        nothing: null,
        yes: true,
      },
    ])
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows)
  })
})

describe('sessions', () => {
  it('close after an error and interrupt a running query when aborted', async () => {
    await expect(withDuckDB((db) => db.exec('SELECT * FROM no_such_table'))).rejects.toThrow(/no_such_table/)
    const controller = new AbortController()
    const started = Date.now()
    const running = withDuckDB((db) => db.rows('SELECT count(*) FROM range(10000000000) a'), { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('canceled by the user')), 100)
    await expect(running).rejects.toThrow('canceled by the user')
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('knows the broad kind of a type', () => {
    expect(['BIGINT', 'DECIMAL(9,2)', 'DOUBLE', 'VARCHAR', 'BOOLEAN', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'VARCHAR[]'].map(valueKind)).toEqual([
      'integer',
      'number',
      'number',
      'string',
      'boolean',
      'date',
      'timestamp',
      'other',
    ])
  })
})

describe('describe, preview and profile a Parquet file', () => {
  let path: string
  beforeAll(async () => {
    path = await writeParquet(
      join(dir, 'data.parquet'),
      `SELECT i AS id, CASE WHEN i % 10 = 0 THEN NULL ELSE i * 1.5 END AS "temp [°C]",
              ['a', 'b', 'b', 'c'][i % 4 + 1] AS "a ""q"" col", i % 2 = 0 AS even, DATE '2024-01-01' + i::INTEGER AS day,
              [i] AS list
       FROM range(100) t(i)`,
    )
  })

  it('describes it from the footer', async () => {
    expect(await describeParquet(path)).toEqual({
      rowCount: 100,
      schema: [
        { name: 'id', type: 'BIGINT' },
        { name: 'temp [°C]', type: 'DECIMAL(21,1)' },
        { name: 'a "q" col', type: 'VARCHAR' },
        { name: 'even', type: 'BOOLEAN' },
        { name: 'day', type: 'DATE' },
        { name: 'list', type: 'BIGINT[]' },
      ],
    })
  })

  it('previews a page of rows', async () => {
    const preview = await previewParquet(path, 2, 9)
    expect(preview.rowCount).toBe(100)
    expect(preview.rows).toEqual([
      { id: 9, 'temp [°C]': 13.5, 'a "q" col': 'b', even: false, day: '2024-01-10', list: [9] },
      { id: 10, 'temp [°C]': null, 'a "q" col': 'b', even: true, day: '2024-01-11', list: [10] },
    ])
  })

  it('profiles every column', async () => {
    const profile = await profileParquet(path, { bins: 4, topK: 2 })
    expect(profile.rowCount).toBe(100)
    const [id, temp, text, even, day, list] = profile.columns
    expect(id).toMatchObject({ kind: 'integer', count: 100, nulls: 0, min: 0, max: 99, mean: 49.5, quantiles: { q25: 24.75, q50: 49.5, q75: 74.25 } })
    expect(id!.std).toBeCloseTo(29.011, 3)
    expect(id!.histogram).toEqual({ edges: [0, 24.75, 49.5, 74.25, 99], counts: [25, 25, 25, 25] })
    expect(temp).toMatchObject({ name: 'temp [°C]', kind: 'number', count: 90, nulls: 10, nullFraction: 0.1 })
    expect(temp!.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(90)
    expect(text).toMatchObject({ kind: 'string', min: 'a', max: 'c', mean: null, histogram: null, topValues: [{ value: 'b', count: 50 }, { value: 'a', count: 25 }] })
    expect(text!.distinct).toBeGreaterThanOrEqual(2)
    expect(even).toMatchObject({ kind: 'boolean', min: false, max: true, topValues: [{ value: false, count: 50 }, { value: true, count: 50 }] })
    expect(day).toMatchObject({ kind: 'date', min: '2024-01-01', max: '2024-04-09' })
    expect(list).toMatchObject({ kind: 'other', count: 100, distinct: null, min: null, topValues: null })
    // HyperLogLog can guess more distinct values than there are; the profile never says so
    expect(id!.distinct).toBeLessThanOrEqual(100)
  })
})
