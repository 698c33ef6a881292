import { describe, expect, it } from 'vitest'
import { run } from './run'
import { useTransformKit } from './test-kit'

const kit = useTransformKit()
const { dataset, transformRun, transformFails } = kit

const table = `SELECT * FROM (VALUES
  (1, 'Adelie', 39.1, DATE '2024-01-05', true),
  (2, NULL, NULL, DATE '2024-02-29', false),
  (3, 'Gentoo', 46.5, NULL, NULL),
  (4, 'adelie penguin', 38.0, DATE '2023-12-31', true),
  (5, 'Chinstrap', 49.9, DATE '2024-06-01', false)
) t(id, "species [name]", "bill ""len""", "seen on", ok)`

async function ids(config: Parameters<typeof transformRun>[1]) {
  const input = await dataset(table)
  return (await transformRun(input, config)).rows.map((r) => r.id)
}

describe('filter', () => {
  it('compares numbers, text, dates and booleans with the column’s type; NULLs never match', async () => {
    const on = (conditions: unknown[], combine: 'all' | 'any' = 'all') =>
      ids({ steps: [{ op: 'filter', combine, conditions: conditions as never }] })
    expect(await on([{ column: 'bill "len"', operator: '>', value: 40 }])).toEqual([3, 5])
    expect(await on([{ column: 'bill "len"', operator: '<=', value: '39.1' }])).toEqual([1, 4])
    expect(await on([{ column: 'species [name]', operator: '!=', value: 'Adelie' }])).toEqual([3, 4, 5])
    expect(await on([{ column: 'seen on', operator: '>=', value: '2024-01-01' }])).toEqual([1, 2, 5])
    expect(await on([{ column: 'ok', operator: '=', value: true }])).toEqual([1, 4])
    expect(await on([{ column: 'id', operator: '<', value: 2.5 }])).toEqual([1, 2])
  })

  it('is null, is not null, contains, starts with (with or without case), in list, between', async () => {
    const on = (condition: unknown) => ids({ steps: [{ op: 'filter', conditions: [condition as never] }] })
    expect(await on({ column: 'species [name]', operator: 'is null' })).toEqual([2])
    expect(await on({ column: 'seen on', operator: 'is not null' })).toEqual([1, 2, 4, 5])
    expect(await on({ column: 'species [name]', operator: 'contains', value: 'elie' })).toEqual([1, 4])
    expect(await on({ column: 'species [name]', operator: 'starts with', value: 'adelie' })).toEqual([4])
    expect(await on({ column: 'species [name]', operator: 'starts with', value: 'ADELIE', caseSensitive: false })).toEqual([1, 4])
    expect(await on({ column: 'species [name]', operator: 'in list', values: ['Gentoo', 'Chinstrap', "it's"] })).toEqual([3, 5])
    expect(await on({ column: 'id', operator: 'in list', values: [2, '4'] })).toEqual([2, 4])
    expect(await on({ column: 'bill "len"', operator: 'between', min: 39.1, max: 46.5 })).toEqual([1, 3])
    expect(await on({ column: 'seen on', operator: 'between', min: '2024-01-01', max: '2024-03-01' })).toEqual([1, 2])
  })

  it('combines with all or any', async () => {
    const conditions = [
      { column: 'ok', operator: '=', value: true },
      { column: 'bill "len"', operator: '>', value: 39 },
    ]
    expect(await ids({ steps: [{ op: 'filter', combine: 'all', conditions: conditions as never }] })).toEqual([1])
    expect(await ids({ steps: [{ op: 'filter', combine: 'any', conditions: conditions as never }] })).toEqual([1, 3, 4, 5])
  })

  it('refuses a value that is not of the column’s type, naming step and column', async () => {
    const input = await dataset(table)
    const error = await transformFails(input, {
      steps: [{ op: 'drop', columns: ['ok'] }, { op: 'filter', conditions: [{ column: 'bill "len"', operator: '>', value: 'big' }] }],
    })
    expect(error.message).toBe('Step 2 (filter): the value "big" is not a number, but column "bill \\"len\\"" holds numbers (DECIMAL(3,1))')
  })
})

describe('derive', () => {
  it('computes a column from an expression over odd column names, with functions and NULLs', async () => {
    const input = await dataset(table)
    const { rows } = await transformRun(input, {
      steps: [
        { op: 'derive', name: 'ratio', expression: 'round("bill ""len""" / id, 2)' },
        { op: 'derive', name: 'label', expression: `upper(coalesce("species [name]", 'unknown')) ` },
        { op: 'derive', name: 'long', expression: `if(length("species [name]") > 6 and not ok, 'yes', 'no')` },
        { op: 'derive', name: 'id', expression: '-id * 2 + 1' },
      ],
    })
    expect(rows.map((r) => [r.id, r.ratio, r.label, r.long])).toEqual([
      [-1, 39.1, 'ADELIE', 'no'],
      [-3, null, 'UNKNOWN', 'no'],
      [-5, 15.5, 'GENTOO', 'no'],
      [-7, 9.5, 'ADELIE PENGUIN', 'no'],
      [-9, 9.98, 'CHINSTRAP', 'yes'],
    ])
    // a derived column replaces one of the same name in place
    expect(Object.keys(rows[0]!)).toEqual(['id', 'species [name]', 'bill "len"', 'seen on', 'ok', 'ratio', 'label', 'long'])
  })

  it('an expression that does not parse points at the spot', async () => {
    const input = await dataset(table)
    const error = await transformFails(input, { steps: [{ op: 'derive', name: 'x', expression: 'id + * 2' }] })
    expect(error.message).toBe(
      `Step 1 (derive): the expression does not work: expected a number, a column, 'text' or "(", found "*" at character 6.\nid + * 2\n     ^`,
    )
  })

  it('an unknown column or function is named, with the columns there are', async () => {
    const input = await dataset(`SELECT 1 AS a, 2 AS "b c"`)
    const column = await transformFails(input, { steps: [{ op: 'derive', name: 'x', expression: 'a + "b d"' }] })
    expect(column.message).toBe(
      `Step 1 (derive): the expression does not work: there is no column "b d" at character 5. The columns are: "a", "b c"\na + "b d"\n    ^`,
    )
    const fn = await transformFails(input, { steps: [{ op: 'derive', name: 'x', expression: 'a + evil(1)' }] })
    expect(fn.message).toMatch(/^Step 1 \(derive\): the expression does not work: unknown function "evil"; there are abs, round/)
  })

  it('a type error DuckDB finds is reported on the step that made it', async () => {
    const input = await dataset(`SELECT 'x' AS s`)
    const error = await transformFails(input, { steps: [{ op: 'derive', name: 'y', expression: 's - 1' }] })
    expect(error.message).toBe(
      "Step 1 (derive): No function matches the given name and argument types '-(VARCHAR, INTEGER_LITERAL)'. You might need to add explicit type casts.",
    )
  })
})

describe('steps working together', () => {
  it('a filter on a derived column compares with the type DuckDB gives it', async () => {
    const input = await dataset(table)
    const { rows } = await transformRun(input, {
      steps: [
        { op: 'derive', name: 'long bill', expression: '"bill ""len""" > 40' },
        { op: 'filter', conditions: [{ column: 'long bill', operator: '=', value: 'true' }] },
        { op: 'derive', name: 'double', expression: 'id * 2' },
        { op: 'filter', conditions: [{ column: 'double', operator: '>', value: '7' }] },
      ],
    })
    expect(rows.map((r) => r.id)).toEqual([5])
  })
})

describe('cancellation', () => {
  it('stops a running transform when the run is canceled', async () => {
    const { start } = kit
    const input = await dataset(`SELECT range AS id, md5(range::VARCHAR) AS h FROM range(3000000)`)
    const t = await start(input, { steps: [{ op: 'dedupe', columns: ['h'] }, { op: 'derive', name: 'x', expression: 'length(h) * id' }] })
    const running = run(t.ctx)
    setTimeout(() => t.controller.abort(new Error('canceled by the user')), 100)
    await expect(running).rejects.toThrow('canceled by the user')
  })
})
