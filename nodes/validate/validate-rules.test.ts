import { describe, expect, it } from 'vitest'
import { useValidateKit } from './test-kit'

const { dataset, validateRun, validateFails } = useValidateKit()

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
