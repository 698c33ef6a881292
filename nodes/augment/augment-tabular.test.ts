import { describe, expect, it } from 'vitest'
import type { JsonRow } from '../_lib/duckdb'
import { describeParquet } from '../_lib/parquet'
import { useAugmentKit, type AugmentInput } from './test-kit'

const { dataset, augmentRun, augmentFails } = useAugmentKit()

const bill = 'bill [mm]'
const depth = "it's depth"
const note = 'a "quoted" col'

/** 60 adelie, 20 gentoo, 10 chinstrap rows with two float features, an integer one and a text column. */
function penguins(extra = '') {
  return dataset(
    `SELECT CASE WHEN i < 60 THEN 'adelie' WHEN i < 80 THEN 'gentoo' ELSE 'chinstrap' END AS species,
            (hash(i) % 1000) / 10.0 AS "${bill}",
            (hash(i * 7 + 3) % 500) / 10.0 AS "${depth}",
            CAST(170 + hash(i * 13) % 60 AS INTEGER) AS flipper,
            'penguin ' || i AS "a ""quoted"" col"
       FROM range(90) t(i) ${extra}`,
  )
}

const original = (rows: JsonRow[]) => rows.filter((r) => (r._ops as string[]).length === 0)
const added = (rows: JsonRow[]) => rows.filter((r) => (r._ops as string[]).length > 0)

function count(rows: JsonRow[], species: string) {
  return rows.filter((r) => r.species === species).length
}

describe('augment (tabular) SMOTE', () => {
  it('puts every new point on a segment between a row and one of its k nearest same-class neighbours', async () => {
    const input = await penguins()
    const k = 3
    const { rows, report } = await augmentRun(input, { mode: 'tabular', labelColumn: 'species', classes: ['chinstrap', 'gentoo'], features: [bill, depth], k, seed: 7 })
    expect(count(rows, 'chinstrap')).toBe(60)
    expect(count(rows, 'gentoo')).toBe(60)
    expect(report).toMatchObject({ mode: 'tabular', rowsIn: 90, rowsAdded: 90, rowsOut: 180, ops: { smote: 90 } })

    const inputs = original(rows)
    expect(inputs).toHaveLength(90)
    inputs.forEach((r, i) => expect(r._source_row).toBe(i + 1))
    const byPosition = new Map(inputs.map((r) => [r._source_row as number, r]))
    const point = (r: JsonRow) => [r[bill] as number, r[depth] as number]

    for (const row of added(rows)) {
      const seed = byPosition.get(row._source_row as number)!
      expect(seed.species).toBe(row.species)
      const [op] = row._ops as string[]
      const match = /^smote\(neighbour=(\d+),u=([\d.]+)\)$/.exec(op!)
      expect(match, op).not.toBeNull()
      const neighbour = byPosition.get(Number(match![1]))!
      expect(neighbour.species).toBe(row.species)

      // collinear with seed and neighbour, between them
      const [x, n, p] = [point(seed), point(neighbour), point(row)]
      const cross = (n[0]! - x[0]!) * (p[1]! - x[1]!) - (n[1]! - x[1]!) * (p[0]! - x[0]!)
      expect(Math.abs(cross)).toBeLessThan(1e-6)
      const u = Number(match![2])
      expect(u).toBeGreaterThanOrEqual(0)
      expect(u).toBeLessThan(1)
      for (const d of [0, 1]) {
        expect(p[d]!).toBeGreaterThanOrEqual(Math.min(x[d]!, n[d]!) - 1e-9)
        expect(p[d]!).toBeLessThanOrEqual(Math.max(x[d]!, n[d]!) + 1e-9)
      }

      // the neighbour is among the k nearest of the same class (brute force; ties count as near)
      const distance = (a: number[], b: number[]) => (a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2
      const others = inputs.filter((r) => r.species === row.species && r !== seed).map((r) => distance(point(r), x))
      const kth = others.sort((a, b) => a - b)[k - 1]!
      expect(distance(n, x)).toBeLessThanOrEqual(kth)

      // columns that are not features come from the seed row
      expect(row[note]).toBe(seed[note])
      expect(row.flipper).toBe(seed.flipper)
    }
  })

  it('rounds SMOTE points in an integer column and keeps every column type', async () => {
    const input = await penguins()
    const { t } = await augmentRun(input, { mode: 'tabular', labelColumn: 'species', classes: ['chinstrap'], features: [bill, 'flipper'], seed: 1 })
    const { schema } = await describeParquet(t.outputs.dataset!)
    expect(schema).toEqual([
      { name: 'species', type: 'VARCHAR' },
      { name: bill, type: 'DOUBLE' },
      { name: depth, type: 'DOUBLE' },
      { name: 'flipper', type: 'INTEGER' },
      { name: note, type: 'VARCHAR' },
      { name: '_source_row', type: 'BIGINT' },
      { name: '_ops', type: 'VARCHAR[]' },
    ])
  })

  it('skips rows with a missing feature as seeds and neighbours, and says so', async () => {
    const input = await dataset(
      `SELECT 'big' AS label, i::DOUBLE AS x, i::DOUBLE AS y FROM range(20) t(i)
       UNION ALL SELECT 'small', CASE WHEN i = 2 THEN NULL ELSE i * 10.0 END, i * 10.0 FROM range(5) t(i)
       UNION ALL SELECT 'small', 'NaN'::DOUBLE, 1.0`,
    )
    const { rows, report } = await augmentRun(input, { mode: 'tabular', labelColumn: 'label', classes: ['small'], features: ['x', 'y'], seed: 3 })
    const small = report.classes.find((c) => c.label === 'small')!
    expect(small).toMatchObject({ before: 6, added: 14, after: 20, target: 20, skippedSeeds: 2 })
    expect(report.notes.join(' ')).toContain('2 rows of class "small" had a missing or non-finite feature')
    // positions 23 (x NULL) and 26 (x NaN) are never used
    for (const row of added(rows)) {
      expect([23, 26]).not.toContain(row._source_row)
      expect(row._ops as string[]).not.toContainEqual(expect.stringMatching(/neighbour=(23|26),/))
    }
  })
})

describe('augment (tabular) oversampling and noise', () => {
  it('grows each chosen class to the target ratio of the largest class', async () => {
    const input = await penguins()
    const { rows, report } = await augmentRun(input, { mode: 'tabular', labelColumn: 'species', classes: ['chinstrap', 'gentoo'], method: 'oversample', ratio: 0.5 })
    expect(count(rows, 'adelie')).toBe(60)
    expect(count(rows, 'gentoo')).toBe(30)
    expect(count(rows, 'chinstrap')).toBe(30)
    expect(report.classes).toEqual([
      { label: 'adelie', before: 60, added: 0, after: 60 },
      { label: 'gentoo', before: 20, added: 10, after: 30, target: 30 },
      { label: 'chinstrap', before: 10, added: 20, after: 30, target: 30 },
    ])
    // a copy is its source row, column for column
    const inputs = original(rows)
    for (const row of added(rows)) {
      const source = inputs[(row._source_row as number) - 1]!
      expect({ ...row, _source_row: 0, _ops: [] }).toEqual({ ...source, _source_row: 0, _ops: [] })
      expect(row._ops).toEqual(['oversample'])
    }
  })

  it('grows a class named twice only once', async () => {
    const input = await penguins()
    const { rows } = await augmentRun(input, { mode: 'tabular', labelColumn: 'species', classes: ['gentoo', 'gentoo'], method: 'oversample' })
    expect(count(rows, 'gentoo')).toBe(60)
  })

  it('rounds the target up and adds nothing to a class already there', async () => {
    const input = await penguins()
    const { report } = await augmentRun(input, { mode: 'tabular', labelColumn: 'species', classes: ['chinstrap', 'gentoo'], method: 'oversample', ratio: 0.3 })
    expect(report.classes.map((c) => [c.label, c.after])).toEqual([['adelie', 60], ['gentoo', 20], ['chinstrap', 18]])
  })

  it('adds gaussian noise scaled by the column’s spread to the new rows only', async () => {
    const input = await dataset(`SELECT CASE WHEN i < 1000 THEN 'a' ELSE 'b' END AS label, (hash(i) % 10000) / 100.0 AS v FROM range(1010) t(i)`)
    const { rows, report } = await augmentRun(input, { mode: 'tabular', labelColumn: 'label', classes: ['b'], method: 'oversample', noise: { columns: ['v'], sigma: 0.1 } })
    const inputs = original(rows)
    const values = inputs.map((r) => r.v as number)
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1))
    const deltas = added(rows).map((r) => (r.v as number) - (inputs[(r._source_row as number) - 1]!.v as number))
    expect(deltas).toHaveLength(990)
    const spread = Math.sqrt(deltas.reduce((a, d) => a + d * d, 0) / deltas.length)
    expect(spread / (0.1 * std)).toBeGreaterThan(0.85)
    expect(spread / (0.1 * std)).toBeLessThan(1.15)
    expect(added(rows)[0]!._ops).toEqual(['oversample', 'noise(0.1)'])
    expect(report.ops).toEqual({ oversample: 990, noise: 990 })
  })

  it('gives the same bytes for the same seed, other rows for another', async () => {
    const input = await penguins()
    const config = { mode: 'tabular', labelColumn: 'species', classes: ['chinstrap'], features: [bill, depth], noise: { columns: [depth], sigma: 0.2 }, seed: 11 } satisfies AugmentInput
    const first = await augmentRun(input, config)
    const second = await augmentRun(input, config)
    const other = await augmentRun(input, { ...config, seed: 12 })
    expect(second.sha256).toBe(first.sha256)
    expect(other.sha256).not.toBe(first.sha256)
  })

  it('replaces _source_row and _ops an input already has (augment after augment)', async () => {
    const input = await penguins()
    const once = await augmentRun(input, { mode: 'tabular', labelColumn: 'species', classes: ['chinstrap'], method: 'oversample', ratio: 0.5 })
    const twice = await augmentRun(once.t.outputs.dataset!, { mode: 'tabular', labelColumn: 'species', classes: ['gentoo'], method: 'oversample', ratio: 0.5 })
    // 90 + 20 chinstrap, then + 10 gentoo
    expect(twice.rows).toHaveLength(120)
    expect(Object.keys(twice.rows[0]!).filter((c) => c.startsWith('_'))).toEqual(['_source_row', '_ops'])
    expect(original(twice.rows).map((r) => r._source_row)).toEqual(Array.from({ length: 110 }, (_, i) => i + 1))
    expect(twice.t.logs.some((l) => l.level === 'warn' && l.message.includes('"_source_row" and "_ops"'))).toBe(true)
  })
})

describe('augment (tabular) refuses bad settings with a clear message', () => {
  it('an unknown label column', async () => {
    const error = await augmentFails(await penguins(), { mode: 'tabular', labelColumn: 'Species', classes: ['gentoo'], features: [bill] })
    expect(error.message).toBe(`The label column "Species" is not in the dataset; its columns are "species", "${bill}", "it's depth", "flipper", "a \\"quoted\\" col".`)
  })

  it('a class that is not there', async () => {
    const error = await augmentFails(await penguins(), { mode: 'tabular', labelColumn: 'species', classes: ['emperor'], features: [bill] })
    expect(error.message).toBe('Class "emperor" is not in column "species"; it has "adelie", "gentoo", "chinstrap".')
  })

  it('a text column as a feature, or an unknown one', async () => {
    const input = await penguins()
    expect((await augmentFails(input, { mode: 'tabular', labelColumn: 'species', classes: ['gentoo'], features: [note] })).message).toBe(
      `The feature column "${note}" is VARCHAR, not a number; SMOTE interpolates numeric columns only.`,
    )
    expect((await augmentFails(input, { mode: 'tabular', labelColumn: 'species', classes: ['gentoo'], features: ['beak'] })).message).toMatch(
      /^The feature column "beak" is not in the dataset/,
    )
    expect((await augmentFails(input, { mode: 'tabular', labelColumn: 'species', classes: ['gentoo'], method: 'oversample', noise: { columns: [note] } })).message).toBe(
      `The noise column "${note}" is VARCHAR, not a number; noise is added to numeric columns only.`,
    )
  })

  it('SMOTE without features, or on a class with one usable row', async () => {
    const input = await penguins()
    expect((await augmentFails(input, { mode: 'tabular', labelColumn: 'species', classes: ['gentoo'] })).message).toBe(
      'The augment step\'s config is invalid at features: SMOTE needs at least one numeric feature column',
    )
    const lonely = await dataset(`SELECT 'a' AS label, i::DOUBLE AS x FROM range(5) t(i) UNION ALL SELECT 'b', 1.0`)
    expect((await augmentFails(lonely, { mode: 'tabular', labelColumn: 'label', classes: ['b'], features: ['x'] })).message).toBe(
      'Class "b" has 1 row with every feature present; SMOTE needs at least 2. Use method \'oversample\'.',
    )
  })

  it('SMOTE on a class larger than it searches in memory', async () => {
    const input = await dataset(`SELECT CASE WHEN i <= 100000 THEN 'a' ELSE 'b' END AS label, i::DOUBLE AS x FROM range(250000) t(i)`)
    expect((await augmentFails(input, { mode: 'tabular', labelColumn: 'label', classes: ['a'], features: ['x'] })).message).toBe(
      "Class \"a\" has 100,001 rows; SMOTE searches neighbours in memory for at most 100,000 rows of a class. Use method 'oversample' or sample the class down first.",
    )
  })

  it('a table in image mode', async () => {
    const error = await augmentFails(await penguins(), { mode: 'images', ops: [{ op: 'flip_h' }] })
    expect(error.message).toMatch(/^Image mode needs an image dataset \(an "image" text column of image ids and a "label" column\); this dataset has "species", /)
  })
})
