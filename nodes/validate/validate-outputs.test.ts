import { stat } from 'node:fs/promises'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createTestContext, sha256File } from '../_lib/test-context'
import { quoteIdent, withDuckDB } from '../_lib/duckdb'
import { describeParquet } from '../_lib/parquet'
import { ingest } from '../ingest/definition'
import { run as runIngest } from '../ingest/run'
import { validate, type ValidationReport } from './definition'
import { run } from './run'
import { useValidateKit, type AnyTestRun, type ValidateInput } from './test-kit'

const { dataset, validateRun, validateFails, runs } = useValidateKit()

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
    runs.push(canceled as unknown as AnyTestRun)
    canceled.controller.abort()
    await expect(run(canceled.ctx)).rejects.toThrow()
  })

  it('quarantines exactly the deliberately wrong penguins of the sample', async () => {
    const loaded = await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })
    runs.push(loaded as unknown as AnyTestRun)
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
    runs.push(t as unknown as AnyTestRun)
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
