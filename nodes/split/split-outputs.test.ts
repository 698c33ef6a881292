import { describe, expect, it } from 'vitest'
import { quoteIdent } from '../_lib/duckdb'
import { createTestContext } from '../_lib/test-context'
import { ingest } from '../ingest/definition'
import { run as runIngest } from '../ingest/run'
import { splitConfig, splitSides } from './definition'
import { run } from './run'
import { labelledRows, useSplitKit, type SplitInput } from './test-kit'

const { dataset, splitContext, splitRun, splitFails, cleanUpLater } = useSplitKit()

describe('the split step', () => {
  it('splits the penguin sample with every species on every side', async () => {
    const loaded = await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })
    cleanUpLater(loaded)
    await runIngest(loaded.ctx)
    const { report, train, test } = await splitRun(loaded.outputs.dataset!, { stratifyBy: 'species' })
    const species = report.labels!.counts.map((c) => c.value)
    expect(species).toEqual(expect.arrayContaining(['Adelie', 'Chinstrap', 'Gentoo']))
    for (const entry of report.labels!.counts.filter((c) => c.value !== null && c.train + c.validation + c.test >= 10)) {
      expect(entry.train > 0 && entry.validation > 0 && entry.test > 0).toBe(true)
    }
    expect(train.schema).toEqual(test.schema)
    expect(report.totalRows).toBe(splitSides.reduce((sum, side) => sum + report.sides[side].rows, 0))
  })

  it('reports progress within [0, 1] ending at 1, and stops when canceled', async () => {
    const input = await dataset(labelledRows(1000, ['a', 'b']))
    const { t } = await splitRun(input, {})
    const fractions = t.progress.map((p) => p.fraction)
    expect(fractions.at(-1)).toBe(1)
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions)
    expect(t.logs.find((l) => l.level === 'info')?.message).toMatch(/^Split 1000 rows at random: \d+ train, \d+ validation, \d+ test \(seed 42\)$/)

    const canceled = await splitContext(input, {})
    canceled.controller.abort()
    await expect(run(canceled.ctx)).rejects.toThrow()
  })
})

const hashes = (result: Awaited<ReturnType<typeof splitRun>>) => splitSides.map((side) => result[side].sha256)

describe('determinism', () => {
  const configs: [string, SplitInput][] = [
    ['random', {}],
    ['stratified', { stratifyBy: 'label' }],
    ['grouped', { groupBy: 'g' }],
    ['time', { timeColumn: 'x' }],
  ]
  for (const [method, config] of configs) {
    it(`${method}: the same input and seed give the same bytes; another seed another split`, async () => {
      const input = await dataset(`SELECT *, id % 97 AS g FROM (${labelledRows(5000, ['a', 'b', 'c'])})`)
      const first = await splitRun(input, config)
      const again = await splitRun(input, config)
      expect(hashes(again)).toEqual(hashes(first))
      if (method === 'time') return // a time split has nothing random in it
      const other = await splitRun(input, { ...config, seed: 7 })
      expect(other.report.seed).toBe(7)
      expect(other.test.rows.map((r) => r.id)).not.toEqual(first.test.rows.map((r) => r.id))
    })
  }

  it('gives the same bytes for an input of several row groups', async () => {
    const input = await dataset(labelledRows(300_000, ['a', 'b']))
    const first = await splitRun(input, { stratifyBy: 'label' })
    const again = await splitRun(input, { stratifyBy: 'label' })
    expect(hashes(again)).toEqual(hashes(first))
    expect(first.train.rows.length + first.validation.rows.length + first.test.rows.length).toBe(300_000)
  })
})

describe('ratios', () => {
  it('a ratio of 0 gives an empty side with the same columns', async () => {
    const input = await dataset(labelledRows(100, ['a', 'b']))
    const { train, validation, test, report } = await splitRun(input, { ratios: { train: 0.8, validation: 0, test: 0.2 } })
    expect(validation.rows).toEqual([])
    expect(validation.schema).toEqual(train.schema)
    expect(train.schema.map((c) => c.name)).toEqual(['id', 'label', 'x'])
    expect([train.rows.length, test.rows.length]).toEqual([80, 20])
    expect(report.sides.validation).toEqual({ rows: 0, share: 0 })
  })

  it('all rows on one side: train 1, or test 1', async () => {
    const input = await dataset(labelledRows(57, ['a', 'b', 'c']))
    for (const method of [{}, { stratifyBy: 'label' }, { groupBy: 'id' }, { timeColumn: 'x' }] satisfies SplitInput[]) {
      const trainOnly = await splitRun(input, { ...method, ratios: { train: 1, validation: 0, test: 0 } })
      expect(trainOnly.train.rows).toHaveLength(57)
      const testOnly = await splitRun(input, { ...method, ratios: { train: 0, validation: 0, test: 1 } })
      expect(testOnly.test.rows).toHaveLength(57)
    }
  })

  it('ratios that add up to 1 only within rounding are accepted', () => {
    expect(splitConfig.safeParse({ ratios: { train: 0.7, validation: 0.2, test: 0.1 } }).success).toBe(true)
    expect(splitConfig.safeParse({ ratios: { train: 1 / 3, validation: 1 / 3, test: 1 / 3 } }).success).toBe(true)
  })

  it('an empty input gives three empty sides with its columns', async () => {
    const input = await dataset(`SELECT 1 AS id, 'a' AS label WHERE FALSE`)
    const { train, validation, test, report } = await splitRun(input, { stratifyBy: 'label' })
    for (const side of [train, validation, test]) expect(side.schema.map((c) => c.name)).toEqual(['id', 'label'])
    expect(report.totalRows).toBe(0)
    expect(report.labels).toEqual({ column: 'label', distinct: 0, truncated: false, counts: [] })
  })
})

describe('bad configs', () => {
  const issue = (config: unknown) => {
    const result = splitConfig.safeParse(config)
    expect(result.success).toBe(false)
    return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
  }

  it('defaults to 0.7 / 0.15 / 0.15 and seed 42', () => {
    expect(splitConfig.parse({})).toEqual({ ratios: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 42 })
    expect(splitConfig.parse({ ratios: { train: 0.8, validation: 0.1, test: 0.1 } }).ratios.test).toBe(0.1)
  })

  it('ratios that do not add up to 1', () => {
    expect(issue({ ratios: { train: 0.7, validation: 0.2, test: 0.2 } })).toBe(
      'ratios: the ratios must add up to 1; train 0.7 + validation 0.2 + test 0.2 = 1.1',
    )
    // a missing ratio takes its default, which is then counted
    expect(issue({ ratios: { train: 0.5 } })).toContain('0.5 + validation 0.15 + test 0.15 = 0.8')
  })

  it('a ratio below 0 or above 1, or not a number', () => {
    expect(issue({ ratios: { train: 1.2, validation: -0.1, test: -0.1 } })).toContain('ratios.train: the train ratio must be between 0 and 1')
    expect(issue({ ratios: { train: 1.2, validation: -0.1, test: -0.1 } })).toContain('ratios.validation: the validation ratio must be between 0 and 1')
    expect(issue({ ratios: { train: '0.7', validation: 0.15, test: 0.15 } })).toContain('ratios.train')
  })

  it('stratifyBy with groupBy or timeColumn', () => {
    expect(issue({ stratifyBy: 'label', groupBy: 'patient' })).toContain('stratifyBy: stratifyBy cannot be combined with groupBy')
    expect(issue({ stratifyBy: 'label', timeColumn: 'at' })).toContain('stratifyBy cannot be combined with timeColumn')
  })

  it('groupBy with timeColumn', () => {
    expect(issue({ groupBy: 'patient', timeColumn: 'at' })).toBe('timeColumn: give groupBy or timeColumn, not both: a split either keeps groups together or follows time')
  })

  it('a seed that is not a whole number, an unknown key, an empty column name', () => {
    expect(issue({ seed: 1.5 })).toContain('seed')
    expect(issue({ ratio: { train: 1 } })).toContain('ratio')
    expect(issue({ groupBy: '' })).toContain('groupBy')
  })

  it('a column that is not in the input names it and the columns there are', async () => {
    const input = await dataset(labelledRows(10, ['a']))
    expect((await splitFails(input, { stratifyBy: 'Label' })).message).toBe(
      'stratifyBy: the column "Label" is not in the input (did you mean "label"?). Its columns are: "id", "label", "x".',
    )
    expect((await splitFails(input, { groupBy: 'patient' })).message).toBe(
      'groupBy: the column "patient" is not in the input. Its columns are: "id", "label", "x".',
    )
    expect((await splitFails(input, { timeColumn: 'at' })).message).toContain('timeColumn: the column "at" is not in the input')
  })

  it('a time column of text', async () => {
    const input = await dataset(`SELECT '2024-01-0' || range AS day FROM range(5)`)
    expect((await splitFails(input, { timeColumn: 'day' })).message).toBe(
      `timeColumn: "day" is VARCHAR; a time split needs a date, timestamp or number column. Text dates can be parsed first with a transform's parse_date step.`,
    )
  })
})

describe('awkward column names and nulls', () => {
  const names = { label: `class [a] "b"`, group: `it's a group`, time: `when (UTC)`, id: 'file_row_number' }
  const select =
    `SELECT range AS ${quoteIdent(names.id)}, CASE WHEN range % 5 = 0 THEN NULL ELSE 'c' || (range % 3) END AS ${quoteIdent(names.label)}, ` +
    `CASE WHEN range % 7 = 0 THEN NULL ELSE range // 4 END AS ${quoteIdent(names.group)}, ` +
    `CASE WHEN range % 11 = 0 THEN NULL ELSE DATE '2024-01-01' + (range // 2)::INT END AS ${quoteIdent(names.time)}, ` +
    `range AS pos, 'x' AS side, 1 AS key, 2 AS pw_pos FROM range(200)`

  for (const [method, config] of [
    ['stratified', { stratifyBy: names.label }],
    ['grouped', { groupBy: names.group }],
    ['time', { timeColumn: names.time }],
  ] as const) {
    it(`${method}: quotes every name, keeps every column, including ones named like the split's own`, async () => {
      const input = await dataset(select)
      const { train, validation, test, report } = await splitRun(input, config)
      const columns = [names.id, names.label, names.group, names.time, 'pos', 'side', 'key', 'pw_pos']
      for (const side of [train, validation, test]) expect(side.schema.map((c) => c.name)).toEqual(columns)
      const all = [...train.rows, ...validation.rows, ...test.rows].map((r) => Number(r[names.id])).sort((a, b) => a - b)
      expect(all).toEqual(Array.from({ length: 200 }, (_, i) => i))
      expect(report.method).toBe(method)
      if (method === 'stratified') {
        expect(report.labels?.counts.find((c) => c.value === null)).toMatchObject({ train: 28, validation: 6, test: 6 })
      }
      if (method === 'grouped') {
        const sides = new Map<unknown, string>()
        for (const side of splitSides) {
          for (const row of { train, validation, test }[side].rows) {
            const group = row[names.group]
            expect(sides.get(group) ?? side).toBe(side)
            sides.set(group, side)
          }
        }
      }
      if (method === 'time') {
        expect(report.time?.nullRows).toBe(19)
        expect(train.rows.filter((r) => r[names.time] === null)).toHaveLength(19)
      }
    })
  }
})
