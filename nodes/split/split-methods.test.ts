import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JsonRow } from '../_lib/duckdb'
import { splitSides, type SplitSide } from './definition'
import { labelledRows, useSplitKit } from './test-kit'

const { dataset, splitRun } = useSplitKit()

const ids = (rows: JsonRow[]) => rows.map((r) => Number(r.id))
const ascending = (values: number[]) => values.every((v, i) => i === 0 || values[i - 1]! < v)

describe('random split', () => {
  it('shares every row out exactly once, sides within one row of the ratios, in input order', async () => {
    const input = await dataset(labelledRows(1000, ['a', 'b']))
    const { report, train, validation, test } = await splitRun(input, {})
    expect(report.method).toBe('random')
    expect(report.seed).toBe(42)
    expect(report.ratios).toEqual({ train: 0.7, validation: 0.15, test: 0.15 })
    const all = [...ids(train.rows), ...ids(validation.rows), ...ids(test.rows)]
    expect(all).toHaveLength(1000)
    expect(new Set(all).size).toBe(1000)
    expect(Math.abs(train.rows.length - 700)).toBeLessThanOrEqual(1)
    expect(Math.abs(validation.rows.length - 150)).toBeLessThanOrEqual(1)
    expect(Math.abs(test.rows.length - 150)).toBeLessThanOrEqual(1)
    for (const side of [train, validation, test]) expect(ascending(ids(side.rows))).toBe(true)
    expect(report.sides.train).toEqual({ rows: train.rows.length, share: train.rows.length / 1000 })
    // a column called `label` is counted in the report even when the split does not stratify by it
    expect(report.labels?.column).toBe('label')
  })

  it('mixes the rows: the test set is not simply the last rows', async () => {
    const input = await dataset(labelledRows(1000, ['a']))
    const { test } = await splitRun(input, {})
    const testIds = ids(test.rows)
    expect(testIds.some((id) => id < 500)).toBe(true)
    expect(testIds.some((id) => id >= 500)).toBe(true)
  })

  it('keeps every column, its type and its values', async () => {
    const input = await dataset(
      `SELECT range AS id, 'v' || range AS "text col", range::DOUBLE / 3 AS f, DATE '2024-01-01' + range::INT AS d, [range, 1] AS l FROM range(50)`,
    )
    const { train, validation, test } = await splitRun(input, { ratios: { train: 0.5, validation: 0.3, test: 0.2 } })
    expect(train.schema).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'text col', type: 'VARCHAR' },
      { name: 'f', type: 'DOUBLE' },
      { name: 'd', type: 'DATE' },
      { name: 'l', type: 'BIGINT[]' },
    ])
    const row = [...train.rows, ...validation.rows, ...test.rows].find((r) => r.id === 7)
    expect(row).toEqual({ id: 7, 'text col': 'v7', f: 7 / 3, d: '2024-01-08', l: [7, 1] })
  })
})

describe('stratified split', () => {
  const within = (count: number, exact: number) => Math.abs(count - exact) <= 1

  it('gives every label, NULL included, its share within one row on every side', async () => {
    // 600 a, 300 b, 37 c, 11 NULL: very unequal strata
    const input = await dataset(
      `SELECT range AS id, CASE WHEN range < 600 THEN 'a' WHEN range < 900 THEN 'b' WHEN range < 937 THEN 'c' END AS species, range AS x FROM range(948)`,
    )
    const ratios = { train: 0.6, validation: 0.25, test: 0.15 }
    const { report, ...sides } = await splitRun(input, { stratifyBy: 'species', ratios })
    expect(report.method).toBe('stratified')
    const strata = new Map<string | null, number>([['a', 600], ['b', 300], ['c', 37], [null, 11]])
    for (const [label, size] of strata) {
      for (const side of splitSides) {
        const count = sides[side].rows.filter((r) => r.species === label).length
        expect(within(count, size * ratios[side]), `${label} on ${side}: ${count} of ${size}`).toBe(true)
      }
    }
    // the report says the same as the files
    expect(report.labels?.column).toBe('species')
    expect(report.labels?.distinct).toBe(4)
    expect(report.labels?.counts.map((c) => c.value)).toEqual(['a', 'b', 'c', null])
    for (const entry of report.labels!.counts) {
      for (const side of splitSides) {
        expect(entry[side]).toBe(sides[side].rows.filter((r) => r.species === entry.value).length)
      }
    }
  })

  it('stays within one row of exact for any strata and ratios (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer(),
        async (sizes, a, b, c, seed) => {
          const total = a + b + c
          const ratios = { train: a / total, validation: b / total, test: 1 - a / total - b / total }
          const strata = sizes.map((size, i) => `SELECT 's${i}' AS s, range AS i FROM range(${size})`).join(' UNION ALL ')
          const input = await dataset(`SELECT row_number() OVER () AS id, s FROM (${strata})`)
          const { report, ...sides } = await splitRun(input, { stratifyBy: 's', ratios, seed })
          sizes.forEach((size, i) => {
            for (const side of splitSides) {
              const count = sides[side].rows.filter((r) => r.s === `s${i}`).length
              expect(within(count, size * ratios[side])).toBe(true)
              if (ratios[side] === 0) expect(count).toBe(0)
            }
          })
          expect(splitSides.reduce((sum, side) => sum + report.sides[side].rows, 0)).toBe(sizes.reduce((x, y) => x + y, 0))
        },
      ),
      { numRuns: 15 },
    )
  })

  it('many one-row strata still add up to the ratios overall', async () => {
    const input = await dataset(`SELECT range AS id, 'k' || range AS key FROM range(2000)`)
    const { train, test } = await splitRun(input, { stratifyBy: 'key' })
    // each stratum rounds up or down at random: the totals land near 1400 / 300 / 300, not all in train
    expect(Math.abs(train.rows.length - 1400)).toBeLessThan(100)
    expect(Math.abs(test.rows.length - 300)).toBeLessThan(80)
  })

  it('lists at most 200 labels in the report, the most frequent first', async () => {
    const input = await dataset(`SELECT range AS id, CASE WHEN range < 100 THEN 'big' ELSE 'k' || range END AS key FROM range(400)`)
    const { report } = await splitRun(input, { stratifyBy: 'key' })
    expect(report.labels?.distinct).toBe(301)
    expect(report.labels?.truncated).toBe(true)
    expect(report.labels?.counts).toHaveLength(200)
    expect(report.labels?.counts[0]?.value).toBe('big')
  })
})

describe('grouped split', () => {
  it('never puts a group on two sides, for any groups (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: 0, max: 30 }), { freq: 10 }), { minLength: 1, maxLength: 200 }),
        fc.integer(),
        async (groups, seed) => {
          const values = groups.map((g, i) => `(${i}, ${g === null ? 'NULL' : g})`).join(', ')
          const input = await dataset(`SELECT * FROM (VALUES ${values}) t(id, patient)`)
          const { report, ...sides } = await splitRun(input, { groupBy: 'patient', seed })
          const seen = new Map<unknown, SplitSide>()
          for (const side of splitSides) {
            for (const row of sides[side].rows) {
              const before = seen.get(row.patient)
              expect(before === undefined || before === side, `group ${row.patient} on ${before} and ${side}`).toBe(true)
              seen.set(row.patient, side)
            }
            expect(ascending(ids(sides[side].rows))).toBe(true)
          }
          expect(splitSides.reduce((sum, side) => sum + sides[side].rows.length, 0)).toBe(groups.length)
          expect(splitSides.reduce((sum, side) => sum + report.groups![side], 0)).toBe(new Set(groups).size)
        },
      ),
      { numRuns: 25 },
    )
  })

  it('fills the sides as closely as whole groups allow', async () => {
    // 100 groups of 10 rows: the exact sizes are reachable
    const input = await dataset(`SELECT range AS id, 'g' || (range // 10) AS "group" FROM range(1000)`)
    const { report } = await splitRun(input, { groupBy: 'group' })
    expect(report.method).toBe('grouped')
    expect(splitSides.map((side) => report.sides[side].rows)).toEqual([700, 150, 150])
    expect(report.groups).toEqual({ column: 'group', train: 70, validation: 15, test: 15 })
  })

  it('says so when the groups are too large to fill a side', async () => {
    const input = await dataset(`SELECT range AS id, range // 500 AS g FROM range(1000)`)
    const { report, t } = await splitRun(input, { groupBy: 'g' })
    expect(splitSides.filter((side) => report.sides[side].rows === 0)).toHaveLength(1)
    expect(t.logs.some((l) => l.level === 'warn' && l.message.includes('groups are too large'))).toBe(true)
  })
})

describe('time split', () => {
  it('puts the newest rows in test, the next newest in validation, the rest in train', async () => {
    const input = await dataset(
      `SELECT range AS id, TIMESTAMP '2024-01-01' + to_hours(((range * 37) % 100)::INT) AS at FROM range(100)`,
    )
    const { report, train, validation, test } = await splitRun(input, { timeColumn: 'at' })
    expect(report.method).toBe('time')
    const times = (rows: JsonRow[]) => rows.map((r) => String(r.at)).sort()
    expect([train.rows.length, validation.rows.length, test.rows.length]).toEqual([70, 15, 15])
    expect(times(validation.rows)[0]! > times(train.rows).at(-1)!).toBe(true)
    expect(times(test.rows)[0]! > times(validation.rows).at(-1)!).toBe(true)
    expect(times(test.rows).at(-1)).toBe('2024-01-05T03:00:00')
    expect(report.time?.ranges.test).toEqual({ from: '2024-01-04T13:00:00', to: '2024-01-05T03:00:00' })
    expect(ascending(ids(test.rows))).toBe(true)
  })

  it('keeps rows of the same time on one side, and sends rows without a time to train', async () => {
    // days 1..10, ten rows each except day 9 with 20; three rows without a day
    const input = await dataset(
      `SELECT row_number() OVER () AS id, day FROM (SELECT (range // 10) + 1 AS day FROM range(100) UNION ALL SELECT 9 FROM range(10) UNION ALL SELECT NULL FROM range(3))`,
    )
    const { report, train, validation, test, t } = await splitRun(input, { timeColumn: 'day', ratios: { train: 0.8, validation: 0.1, test: 0.1 } })
    const days = (rows: JsonRow[]) => new Set(rows.map((r) => r.day))
    for (const [a, b] of [[train, validation], [validation, test], [train, test]] as const) {
      expect([...days(a.rows)].filter((d) => d !== null && days(b.rows).has(d))).toEqual([])
    }
    expect(train.rows.filter((r) => r.day === null)).toHaveLength(3)
    expect(report.time?.nullRows).toBe(3)
    expect(t.logs.some((l) => l.message.includes('3 rows have no "day"'))).toBe(true)
    // 113 rows: test ≈ 11.3 → day 10 (10 rows); validation ≈ 11.3 → day 9 (20 rows) is nearer than none
    expect([...days(test.rows)]).toEqual([10])
    expect(report.sides.test.rows + report.sides.validation.rows + report.sides.train.rows).toBe(113)
  })

  it('treats NaN as no time, not as the newest', async () => {
    const input = await dataset(`SELECT range AS id, CASE WHEN range = 0 THEN 'NaN'::DOUBLE ELSE range END AS t FROM range(20)`)
    const { train, test, report } = await splitRun(input, { timeColumn: 't', ratios: { train: 0.9, validation: 0, test: 0.1 } })
    expect(ids(test.rows)).toEqual([18, 19])
    expect(ids(train.rows)).toContain(0)
    expect(report.time?.nullRows).toBe(1)
  })
})
