import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { StepError } from '../contract'
import { createTestContext, readParquet, sha256File, writeParquet, type TestRun } from '../_lib/test-context'
import { quoteIdent, withDuckDB } from '../_lib/duckdb'
import { describeParquet } from '../_lib/parquet'
import { ingest } from '../ingest/definition'
import { run as runIngest } from '../ingest/run'
import { validate, validateConfig, validationReport, type ValidationReport } from './definition'
import { run } from './run'

type ValidateInput = z.input<typeof validateConfig>

let dir: string
const runs: TestRun<unknown, never, never>[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validate-test-'))
})
afterAll(async () => {
  await Promise.all(runs.map((r) => r.cleanup()))
  await rm(dir, { recursive: true, force: true })
})

let fixtureCount = 0
/** a Parquet input from a DuckDB SELECT */
async function dataset(select: string): Promise<string> {
  return writeParquet(join(dir, `input-${fixtureCount++}.parquet`), select)
}

async function validateRun(input: string, config: ValidateInput) {
  const t = await createTestContext(validate, config, { inputs: { dataset: input } })
  runs.push(t as unknown as TestRun<unknown, never, never>)
  await run(t.ctx)
  const report = validationReport.parse(t.reports.report)
  const clean = await readParquet(t.outputs.clean!)
  const quarantine = await readParquet(t.outputs.quarantine!)
  return { t, report, clean, quarantine }
}

async function validateFails(input: string, config: ValidateInput): Promise<{ error: StepError; t: TestRun<unknown, never, never> }> {
  const t = await createTestContext(validate, config, { inputs: { dataset: input } })
  runs.push(t as unknown as TestRun<unknown, never, never>)
  const error = await run(t.ctx).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StepError)
  return { error: error as StepError, t: t as unknown as TestRun<unknown, never, never> }
}

describe('validate rules', () => {
  it('between: passes values in range and NULLs, quarantines the rest with a reason', async () => {
    const input = await dataset(`SELECT * FROM (VALUES (1, 50.0), (2, 10.0), (3, NULL), (4, 999.0), (5, 80.0), (6, 20.0)) t(id, x)`)
    const { report, clean, quarantine } = await validateRun(input, { rules: [{ column: 'x', rule: 'between', min: 20, max: 80 }] })
    expect(clean.map((r) => r.id)).toEqual([1, 3, 5, 6])
    expect(quarantine).toEqual([
      { _row: 2, _reasons: ['x: 10 is not between 20 and 80'], id: 2, x: 10 },
      { _row: 4, _reasons: ['x: 999 is not between 20 and 80'], id: 4, x: 999 },
    ])
    expect(report).toMatchObject({ totalRows: 6, cleanRows: 4, quarantinedRows: 2, passed: false, mode: 'quarantine' })
    expect(report.rules[0]).toMatchObject({ column: 'x', rule: 'between', params: { min: 20, max: 80 }, failedRows: 2, examples: [10, 999] })
  })

  it('between with one bound, and on text: values that are not numbers are reasons', async () => {
    const input = await dataset(`SELECT * FROM (VALUES ('5'), ('abc'), (NULL), ('-3'), (' 7 ')) t(v)`)
    const { quarantine } = await validateRun(input, {
      rules: [
        { column: 'v', rule: 'between', min: 0 },
        { column: 'v', rule: 'between', max: 6 },
      ],
    })
    expect(quarantine.map((r) => [r._row, r._reasons])).toEqual([
      [2, ['v: "abc" is not a number', 'v: "abc" is not a number']],
      [4, ['v: "-3" is not at least 0']],
      [5, ['v: " 7 " is not at most 6']],
    ])
  })

  it('not_null: NULL, blank text and NaN fail; anything else passes', async () => {
    const input = await dataset(
      `SELECT * FROM (VALUES ('a', 1.0), (NULL, 2.0), ('', 3.0), ('  ', 'NaN'::DOUBLE), ('b', NULL)) t(s, d)`,
    )
    const { quarantine, clean } = await validateRun(input, {
      rules: [
        { column: 's', rule: 'not_null' },
        { column: 'd', rule: 'not_null' },
      ],
    })
    expect(clean).toEqual([{ s: 'a', d: 1 }])
    expect(quarantine.map((r) => [r._row, r._reasons])).toEqual([
      [2, ['s: value is missing']],
      [3, ['s: value is blank']],
      [4, ['s: value is blank', 'd: value is NaN']],
      [5, ['d: value is missing']],
    ])
  })

  it('in_set compares as text (numbers numerically on numeric columns); NULLs pass', async () => {
    const input = await dataset(
      `SELECT * FROM (VALUES ('Adelie', 1, true), ('Gentoo', 2, false), ('adelie', 3, true), (NULL, NULL, NULL), ('Chinstrap', 4, true)) t(species, n, b)`,
    )
    const { quarantine, report } = await validateRun(input, {
      rules: [
        { column: 'species', rule: 'in_set', values: ['Adelie', 'Gentoo', 'Chinstrap'] },
        { column: 'n', rule: 'in_set', values: [1, 2, 3] },
        { column: 'b', rule: 'in_set', values: [true] },
      ],
    })
    expect(quarantine.map((r) => [r._row, r._reasons])).toEqual([
      [2, ['b: false is not one of true']],
      [3, ['species: "adelie" is not one of Adelie, Gentoo, Chinstrap']],
      [5, ['n: 4 is not one of 1, 2, 3']],
    ])
    expect(report.rules.map((r) => r.failedRows)).toEqual([1, 1, 1])
  })

  it('in_set on a text column with number values compares their text', async () => {
    const input = await dataset(`SELECT * FROM (VALUES ('1'), ('2'), ('x')) t(code)`)
    const { quarantine } = await validateRun(input, { rules: [{ column: 'code', rule: 'in_set', values: [1, 2] }] })
    expect(quarantine.map((r) => r._reasons)).toEqual([['code: "x" is not one of 1, 2']])
  })

  it('regex matches the whole value; NULLs pass; a broken pattern is a clear error', async () => {
    const input = await dataset(`SELECT * FROM (VALUES ('ABC-1'), ('abc-1'), ('ABC-12x'), (NULL)) t(code)`)
    const { quarantine } = await validateRun(input, { rules: [{ column: 'code', rule: 'regex', pattern: '[A-Z]{3}-\\d+' }] })
    expect(quarantine.map((r) => [r._row, r._reasons])).toEqual([
      [2, ['code: "abc-1" does not match the pattern [A-Z]{3}-\\d+']],
      [3, ['code: "ABC-12x" does not match the pattern [A-Z]{3}-\\d+']],
    ])
    const { error } = await validateFails(input, { rules: [{ column: 'code', rule: 'regex', pattern: '(unclosed' }] })
    expect(error.message).toMatch(/Rule 1 \(code regex\): "\(unclosed" is not a valid regular expression/)
  })

  it('unique flags every copy of a repeated value, names the count, keeps row order', async () => {
    const input = await dataset(`SELECT * FROM (VALUES (1), (2), (2), (3), (3), (3), (NULL), (NULL), (4)) t(id)`)
    const { quarantine, clean, report } = await validateRun(input, { rules: [{ column: 'id', rule: 'unique' }] })
    expect(clean.map((r) => r.id)).toEqual([1, null, null, 4])
    expect(quarantine.map((r) => [r._row, r._reasons])).toEqual([
      [2, ['id: 2 appears 2 times']],
      [3, ['id: 2 appears 2 times']],
      [4, ['id: 3 appears 3 times']],
      [5, ['id: 3 appears 3 times']],
      [6, ['id: 3 appears 3 times']],
    ])
    expect(report.rules[0]!.examples).toEqual([2, 2, 3, 3, 3])
  })

  it('zscore flags values far from the mean, using mean and stddev_samp', async () => {
    // 20 values of 10 ± 1 and one of 100
    const input = await dataset(
      `SELECT i AS id, CASE WHEN i = 21 THEN 100 ELSE 10 + (i % 3) - 1 END AS x FROM range(1, 22) t(i)`,
    )
    const { quarantine, report } = await validateRun(input, { rules: [{ column: 'x', rule: 'zscore' }] })
    expect(quarantine.map((r) => r.id)).toEqual([21])
    const reason = (quarantine[0]!._reasons as string[])[0]!
    expect(reason).toMatch(/^x: 100 is 4\.\d+ standard deviations from the mean 14\.\d+ \(limit 3\)$/)
    expect(report.rules[0]!.params).toEqual({ threshold: 3 })
    expect(report.rules[0]!.stats!.mean).toBeCloseTo(301 / 21, 9)
    // a looser threshold lets it pass
    const loose = await validateRun(input, { rules: [{ column: 'x', rule: 'zscore', threshold: 5 }] })
    expect(loose.report.quarantinedRows).toBe(0)
  })

  it('iqr flags values beyond the fences computed from quantile_cont', async () => {
    const input = await dataset(`SELECT * FROM (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (100), (-50), (NULL)) t(x)`)
    const { quarantine, report } = await validateRun(input, { rules: [{ column: 'x', rule: 'iqr' }] })
    // over the 10 values: q1 = 2.25, q3 = 6.75 (quantile_cont interpolates), iqr = 4.5 → fences [-4.5, 13.5]
    expect(report.rules[0]!.stats).toEqual({ q1: 2.25, q3: 6.75, lower: -4.5, upper: 13.5 })
    expect(quarantine.map((r) => [r._row, r._reasons])).toEqual([
      [9, ['x: 100 is outside the interquartile fences [-4.5, 13.5]']],
      [10, ['x: -50 is outside the interquartile fences [-4.5, 13.5]']],
    ])
  })

  it('numeric rules on text: non-numbers are reasons, NaN and Infinity are not finite', async () => {
    const input = await dataset(`SELECT * FROM (VALUES ('1'), ('2'), ('3'), ('oops'), ('inf'), (NULL)) t(v)`)
    const { quarantine } = await validateRun(input, { rules: [{ column: 'v', rule: 'iqr' }] })
    expect(quarantine.map((r) => r._reasons)).toEqual([['v: "oops" is not a number'], ['v: "inf" is not a finite number']])
  })

  it('a row breaking several rules lists every reason, in rule order', async () => {
    const input = await dataset(`SELECT * FROM (VALUES ('x', 5), ('a', 500)) t(s, n)`)
    const { quarantine } = await validateRun(input, {
      rules: [
        { column: 'n', rule: 'between', min: 0, max: 10 },
        { column: 's', rule: 'in_set', values: ['a'] },
        { column: 'n', rule: 'unique' },
      ],
    })
    expect(quarantine.map((r) => r._reasons)).toEqual([['s: "x" is not one of a'], ['n: 500 is not between 0 and 10']])
  })
})

describe('validate schema checks', () => {
  it('flags values that cannot be cast to the declared type and reports each column', async () => {
    const input = await dataset(
      `SELECT * FROM (VALUES
         ('1', '1.5', 'true', '2024-01-02', '2024-01-02 10:00:00', 7, 1.0),
         ('2.5', 'x', 'maybe', '2024-13-01', 'yesterday', 8, 2.5),
         (NULL, NULL, NULL, NULL, NULL, NULL, NULL)) t(i, n, b, d, ts, already_int, dbl)`,
    )
    const { quarantine, report } = await validateRun(input, {
      columns: [
        { name: 'i', type: 'integer' },
        { name: 'n', type: 'number' },
        { name: 'b', type: 'boolean' },
        { name: 'd', type: 'date' },
        { name: 'ts', type: 'timestamp' },
        { name: 'already_int', type: 'integer' },
        { name: 'dbl', type: 'integer' },
        { name: 'absent', type: 'string', required: false },
      ],
    })
    expect(quarantine.map((r) => [r._row, r._reasons])).toEqual([
      [
        2,
        [
          'i: "2.5" is not an integer',
          'n: "x" is not a number',
          'b: "maybe" is not a boolean (true/false)',
          'd: "2024-13-01" is not a date',
          'ts: "yesterday" is not a timestamp',
          'dbl: 2.5 is not an integer',
        ],
      ],
    ])
    expect(report.schema.find((s) => s.name === 'i')).toEqual({
      name: 'i',
      expectedType: 'integer',
      actualType: 'VARCHAR',
      present: true,
      required: true,
      failedRows: 1,
      examples: ['2.5'],
      ok: false,
    })
    expect(report.schema.find((s) => s.name === 'already_int')).toMatchObject({ actualType: 'INTEGER', ok: true, failedRows: 0 })
    expect(report.schema.find((s) => s.name === 'absent')).toMatchObject({ present: false, actualType: null, ok: true })
    expect(report.columns.map((c) => c.name)).toEqual(['i', 'n', 'b', 'd', 'ts', 'already_int', 'dbl'])
  })

  it('a missing column (rule or required schema entry) fails, naming it and the columns that exist', async () => {
    const input = await dataset(`SELECT 1 AS id, 'x' AS "Species"`)
    const { error } = await validateFails(input, {
      columns: [{ name: 'weight', type: 'number' }],
      rules: [{ column: 'species', rule: 'not_null' }],
    })
    expect(error.message).toBe(
      'Columns "species", "weight" do not exist in the dataset ("species": did you mean "Species"?). Its columns are: "id", "Species".',
    )
  })
})

describe('validate with awkward column names', () => {
  it('quotes identifiers and literals everywhere', async () => {
    const input = await dataset(
      `SELECT * FROM (VALUES (21.5, 'dev-1', 'ok', 'a''b'), (99.0, 'dev-1', 'bad', 'x'), (NULL, 'dev-2', NULL, 'y'))
         t("temp [°C]", "Device ID", "a ""quoted"" col", "it's")`,
    )
    const { quarantine, clean, report } = await validateRun(input, {
      columns: [{ name: 'temp [°C]', type: 'number' }],
      rules: [
        { column: 'temp [°C]', rule: 'between', min: -20, max: 60 },
        { column: 'Device ID', rule: 'unique' },
        { column: 'a "quoted" col', rule: 'in_set', values: ['ok', "it's"] },
        { column: "it's", rule: 'regex', pattern: "[a-z]'?[a-z]?" },
        { column: 'a "quoted" col', rule: 'not_null' },
      ],
    })
    expect(clean).toEqual([])
    expect(Object.keys(quarantine[0]!)).toEqual(['_row', '_reasons', 'temp [°C]', 'Device ID', 'a "quoted" col', "it's"])
    expect(quarantine.map((r) => r._reasons)).toEqual([
      ['Device ID: "dev-1" appears 2 times'],
      ['temp [°C]: 99 is not between -20 and 60', 'Device ID: "dev-1" appears 2 times', 'a "quoted" col: "bad" is not one of ok, it\'s'],
      ['a "quoted" col: value is missing'],
    ])
    expect(report.rules.map((r) => r.failedRows)).toEqual([1, 2, 1, 0, 1])
  })

  it('any column name works with every rule (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }), {
          minLength: 2,
          maxLength: 2,
          comparator: (a, b) => a.toLowerCase() === b.toLowerCase(),
        }),
        async ([num, text]) => {
          fc.pre(![num, text].some((n) => n!.includes('\0') || n!.trim() === '' || n!.toLowerCase().startsWith('__pw_')))
          const input = await dataset(
            `SELECT * FROM (VALUES (1.5, 'a'), (99.0, 'b'), (NULL, 'b'), (3.0, NULL)) t(${quoteIdent(num!)}, ${quoteIdent(text!)})`,
          )
          const { report, quarantine } = await validateRun(input, {
            columns: [{ name: num!, type: 'number' }, { name: text!, type: 'string' }],
            rules: [
              { column: num!, rule: 'between', min: 0, max: 10 },
              { column: num!, rule: 'zscore', threshold: 1 },
              { column: num!, rule: 'iqr' },
              { column: text!, rule: 'in_set', values: ['a', "it's"] },
              { column: text!, rule: 'regex', pattern: '[a-z]' },
              { column: text!, rule: 'unique' },
              { column: text!, rule: 'not_null' },
            ],
          })
          expect(report.totalRows).toBe(4)
          expect(quarantine.map((r) => r._row)).toEqual([2, 3, 4])
          expect(quarantine[0]!._reasons).toContain(`${num}: 99 is not between 0 and 10`)
          expect(Object.keys(quarantine[0]!)).toEqual(['_row', '_reasons', num, text])
        },
      ),
      { numRuns: 12 },
    )
  })

  it('works when the input has a column named file_row_number, _row or _reasons', async () => {
    const input = await dataset(`SELECT * FROM (VALUES (10, 'a', 1), (20, 'b', 2), (30, 'c', 3)) t(file_row_number, _reasons, x)`)
    const { quarantine, clean, t } = await validateRun(input, { rules: [{ column: 'x', rule: 'between', max: 2 }] })
    expect(clean.map((r) => r.x)).toEqual([1, 2])
    expect(quarantine).toEqual([{ _row: 3, _reasons: ['x: 3 is not at most 2'], file_row_number: 30, x: 3 }])
    expect(t.logs.some((l) => l.level === 'warn' && l.message.includes('"_reasons"'))).toBe(true)
  })
})

describe('validate modes and outputs', () => {
  it("mode 'fail' stops the step with counts per rule and writes nothing", async () => {
    const input = await dataset(`SELECT * FROM (VALUES (1, 'a'), (999, 'b'), (-5, 'zz'), (4, 'zz')) t(x, s)`)
    const { error, t } = await validateFails(input, {
      mode: 'fail',
      rules: [
        { column: 'x', rule: 'between', min: 0, max: 80 },
        { column: 's', rule: 'in_set', values: ['a', 'b'] },
      ],
    })
    expect(error.message).toBe(
      '3 rows broke 2 rules: x between 0..80 (2 rows, e.g. 999), s in_set (a, b) (2 rows, e.g. "zz"). ' +
        "Fix the data, or set mode to 'quarantine' to set such rows aside.",
    )
    expect(t.outputs).toEqual({})
    expect(t.reports).toEqual({})
  })

  it("mode 'fail' that passes: clean is the input byte for byte, quarantine is empty with the extra columns", async () => {
    const input = await dataset(`SELECT range AS id, range * 2 AS y FROM range(100)`)
    const { t, report, quarantine } = await validateRun(input, { mode: 'fail', rules: [{ column: 'id', rule: 'unique' }] })
    expect(report).toMatchObject({ passed: true, totalRows: 100, cleanRows: 100, quarantinedRows: 0, mode: 'fail' })
    expect(await sha256File(t.outputs.clean!)).toBe(t.ctx.inputs.dataset.id)
    expect(quarantine).toEqual([])
    const q = await describeParquet(t.outputs.quarantine!)
    expect(q.schema).toEqual([
      { name: '_row', type: 'BIGINT' },
      { name: '_reasons', type: 'VARCHAR[]' },
      { name: 'id', type: 'BIGINT' },
      { name: 'y', type: 'BIGINT' },
    ])
  })

  it('an empty dataset passes with empty outputs', async () => {
    const input = await dataset(`SELECT 1.5 AS x, 'a' AS s WHERE false`)
    const { report, clean, quarantine } = await validateRun(input, {
      columns: [{ name: 'x', type: 'integer' }],
      rules: [
        { column: 'x', rule: 'zscore' },
        { column: 'x', rule: 'iqr' },
        { column: 's', rule: 'unique' },
      ],
    })
    expect(report).toMatchObject({ totalRows: 0, cleanRows: 0, quarantinedRows: 0, passed: true })
    expect(report.rules[0]!.stats).toEqual({ mean: null, std: null })
    expect(clean).toEqual([])
    expect(quarantine).toEqual([])
  })

  it('no rules: everything is clean', async () => {
    const input = await dataset(`SELECT 1 AS a`)
    const { report, clean, quarantine } = await validateRun(input, {})
    expect(report).toMatchObject({ passed: true, cleanRows: 1, quarantinedRows: 0, rules: [], schema: [] })
    expect(clean).toEqual([{ a: 1 }])
    expect(quarantine).toEqual([])
  })

  it('reports progress within [0, 1] ending at 1, and stops when canceled', async () => {
    const input = await dataset(`SELECT range AS x FROM range(1000)`)
    const { t } = await validateRun(input, { rules: [{ column: 'x', rule: 'between', max: 500 }] })
    expect(t.progress.at(-1)!.fraction).toBe(1)
    const fractions = t.progress.map((p) => p.fraction)
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions)

    const canceled = await createTestContext(validate, { rules: [] }, { inputs: { dataset: input } })
    runs.push(canceled as unknown as TestRun<unknown, never, never>)
    canceled.controller.abort()
    await expect(run(canceled.ctx)).rejects.toThrow()
  })

  it('quarantines exactly the deliberately wrong penguins of the sample', async () => {
    const loaded = await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })
    runs.push(loaded as unknown as TestRun<unknown, never, never>)
    await runIngest(loaded.ctx)
    const { report, quarantine } = await validateRun(loaded.outputs.dataset!, {
      rules: [
        { column: 'bill_length_mm', rule: 'between', min: 20, max: 80 },
        { column: 'species', rule: 'in_set', values: ['Adelie', 'Chinstrap', 'Gentoo'] },
        { column: 'flipper_length_mm', rule: 'between', min: 150, max: 250 },
      ],
    })
    expect(report).toMatchObject({ totalRows: 320, quarantinedRows: 5, cleanRows: 315 })
    expect(quarantine.map((r) => [r._row, r._reasons])).toEqual([
      [13, ['bill_length_mm: 999 is not between 20 and 80']],
      [61, ['species: "Adeleie" is not one of Adelie, Chinstrap, Gentoo']],
      [100, ['flipper_length_mm: 2100 is not between 150 and 250']],
      [151, ['bill_length_mm: -5 is not between 20 and 80']],
      [231, ['species: "gentoo" is not one of Adelie, Chinstrap, Gentoo']],
    ])
  })
})

describe('validate at scale', () => {
  it('counts exactly on 1M rows × 10 columns against 5 rules (speed lives in npm run bench)', async () => {
    const input = await dataset(
      `SELECT i AS id, (i % 97)::DOUBLE AS a, (i % 1013)::DOUBLE / 10 AS b, 'cat' || (i % 7) AS c, i % 3 = 0 AS d,
              (hash(i) % 1000)::BIGINT AS e, 'x' || i AS f, (i % 50)::INTEGER AS g, DATE '2024-01-01' + (i % 365)::INTEGER AS h,
              CASE WHEN i % 1000 = 0 THEN NULL ELSE i * 1.5 END AS k
       FROM range(1000000) t(i)`,
    )
    const rules: ValidateInput['rules'] = [
      { column: 'a', rule: 'between', min: 0, max: 90 },
      { column: 'c', rule: 'in_set', values: ['cat0', 'cat1', 'cat2', 'cat3', 'cat4', 'cat5'] },
      { column: 'k', rule: 'not_null' },
      { column: 'b', rule: 'zscore', threshold: 1.7 },
      { column: 'id', rule: 'unique' },
    ]
    const t = await createTestContext(validate, { rules }, { inputs: { dataset: input } })
    runs.push(t as unknown as TestRun<unknown, never, never>)
    await run(t.ctx)
    const report = t.reports.report as ValidationReport
    expect(report.totalRows).toBe(1_000_000)
    expect(report.rules[0]!.failedRows).toBe(Math.floor(1_000_000 / 97) * 6)
    expect(report.rules[2]!.failedRows).toBe(1000)
    expect(report.quarantinedRows + report.cleanRows).toBe(1_000_000)
    expect((await describeParquet(t.outputs.clean!)).rowCount).toBe(report.cleanRows)
    expect((await stat(t.outputs.quarantine!)).size).toBeGreaterThan(0)
    // both outputs keep the input's row order, however many threads wrote them
    for (const [path, key] of [[t.outputs.clean!, 'id'], [t.outputs.quarantine!, '_row']] as const) {
      const misplaced = await withDuckDB((db) =>
        db.one(
          `SELECT count_if(a <> b) AS n FROM (SELECT row_number() OVER (ORDER BY file_row_number) AS a, ` +
            `row_number() OVER (ORDER BY ${quoteIdent(key)}) AS b FROM read_parquet('${path}', file_row_number = true))`,
        ),
      )
      expect(misplaced?.n).toBe(0)
    }
  })
})
