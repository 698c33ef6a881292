import { describe, expect, it } from 'vitest'
import { useTransformKit } from './test-kit'

const { dataset, transformRun, transformFails } = useTransformKit()

// odd names on purpose: spaces, brackets, quotes, unicode
const odd = `SELECT * FROM (VALUES
  (1, 'Adelie', 39.1, '2024-01-05'),
  (2, NULL, NULL, '2024-02-29'),
  (3, 'Gentoo', 46.5, NULL),
  (4, 'Adelie', 38.0, 'not a date')
) t(id, "species [name]", "bill ""len"" °", "seen on")`

describe('drop, rename, cast', () => {
  it('drop removes the named columns, whatever their names', async () => {
    const input = await dataset(odd)
    const { rows } = await transformRun(input, { steps: [{ op: 'drop', columns: ['bill "len" °', 'seen on'] }] })
    expect(rows).toEqual([
      { id: 1, 'species [name]': 'Adelie' },
      { id: 2, 'species [name]': null },
      { id: 3, 'species [name]': 'Gentoo' },
      { id: 4, 'species [name]': 'Adelie' },
    ])
  })

  it('rename renames at once, so two columns can swap names', async () => {
    const input = await dataset(`SELECT 1 AS a, 2 AS "b [x]"`)
    const { rows } = await transformRun(input, {
      steps: [{ op: 'rename', columns: [{ from: 'a', to: 'b [x]' }, { from: 'b [x]', to: 'a' }] }],
    })
    expect(rows).toEqual([{ 'b [x]': 1, a: 2 }])
  })

  it('a later step naming a dropped or renamed column says which step took it, and which columns there are', async () => {
    const input = await dataset(odd)
    const dropped = await transformFails(input, {
      steps: [
        { op: 'drop', columns: ['seen on'] },
        { op: 'fill_nulls', columns: ['seen on'], value: 'x' },
      ],
    })
    expect(dropped.message).toBe(
      'Step 2 (fill_nulls): there is no column "seen on" (step 1 dropped it). The columns are: "id", "species [name]", "bill \\"len\\" °"',
    )
    const renamed = await transformFails(input, {
      steps: [
        { op: 'rename', columns: [{ from: 'id', to: 'key' }] },
        { op: 'drop', columns: ['id'] },
      ],
    })
    expect(renamed.message).toMatch(/^Step 2 \(drop\): there is no column "id" \(step 1 renamed it to "key"\)/)
    const missing = await transformFails(input, { steps: [{ op: 'drop', columns: ['Species [name]'] }] })
    expect(missing.message).toMatch(/there is no column "Species \[name\]" \(did you mean "species \[name\]"\?\)/)
  })

  it('rename refuses a name that clashes (DuckDB ignores case in names)', async () => {
    const input = await dataset(`SELECT 1 AS a, 2 AS b`)
    const error = await transformFails(input, { steps: [{ op: 'rename', columns: [{ from: 'a', to: 'B' }] }] })
    expect(error.message).toBe('Step 1 (rename): after renaming, two columns would be called "B"')
  })

  it('cast converts; a value that cannot be converted fails naming step, value and column, or becomes NULL', async () => {
    const input = await dataset(`SELECT * FROM (VALUES ('1', 'true'), ('2.6', 'no'), (NULL, NULL), ('x7', 'maybe')) t("n [raw]", flag)`)
    const failed = await transformFails(input, { steps: [{ op: 'cast', columns: ['n [raw]'], to: 'integer' }] })
    expect(failed.message).toBe(`Step 1 (cast): "x7" in column "n [raw]" cannot be converted to integer; set onError to 'null' to leave such values empty`)
    const { rows, types } = await transformRun(input, {
      steps: [
        { op: 'cast', columns: ['n [raw]'], to: 'integer', onError: 'null' },
        { op: 'cast', columns: ['flag'], to: 'boolean', onError: 'null' },
      ],
    })
    expect(rows).toEqual([
      { 'n [raw]': 1, flag: true },
      { 'n [raw]': 3, flag: false },
      { 'n [raw]': null, flag: null },
      { 'n [raw]': null, flag: null },
    ])
    expect(types).toEqual({ 'n [raw]': 'BIGINT', flag: 'BOOLEAN' })
  })

  it('cast to text, number, date and timestamp', async () => {
    const input = await dataset(`SELECT 7 AS i, '2.5' AS s, '2024-03-01' AS d, '2024-03-01 10:30:00' AS ts`)
    const { rows, types } = await transformRun(input, {
      steps: [
        { op: 'cast', columns: ['i'], to: 'text' },
        { op: 'cast', columns: ['s'], to: 'number' },
        { op: 'cast', columns: ['d'], to: 'date' },
        { op: 'cast', columns: ['ts'], to: 'timestamp' },
      ],
    })
    expect(rows).toEqual([{ i: '7', s: 2.5, d: '2024-03-01', ts: '2024-03-01T10:30:00' }])
    expect(types).toEqual({ i: 'VARCHAR', s: 'DOUBLE', d: 'DATE', ts: 'TIMESTAMP' })
  })
})

describe('fill_nulls', () => {
  const numbers = `SELECT * FROM (VALUES (1, 10, 'a'), (2, NULL, NULL), (3, 20, 'b'), (4, 60, 'b'), (5, NULL, 'a'), (6, 30, 'b')) t(id, "x [m]", "cat's")`

  it('constant: fills with the value, converted to the column type', async () => {
    const input = await dataset(numbers)
    const { rows } = await transformRun(input, {
      steps: [
        { op: 'fill_nulls', columns: ['x [m]'], strategy: 'constant', value: '0' },
        { op: 'fill_nulls', columns: ["cat's"], value: 'none' },
      ],
    })
    expect(rows.map((r) => r['x [m]'])).toEqual([10, 0, 20, 60, 0, 30])
    expect(rows.map((r) => r["cat's"])).toEqual(['a', 'none', 'b', 'b', 'a', 'b'])
  })

  it('mean, median and mode are computed from the column', async () => {
    const input = await dataset(numbers)
    const mean = await transformRun(input, { steps: [{ op: 'fill_nulls', columns: ['x [m]'], strategy: 'mean' }] })
    expect(mean.rows.map((r) => r['x [m]'])).toEqual([10, 30, 20, 60, 30, 30])
    expect(mean.types['x [m]']).toBe('DOUBLE')
    const median = await transformRun(input, { steps: [{ op: 'fill_nulls', columns: ['x [m]'], strategy: 'median' }] })
    expect(median.rows.map((r) => r['x [m]'])).toEqual([10, 25, 20, 60, 25, 30])
    const mode = await transformRun(input, { steps: [{ op: 'fill_nulls', columns: ["cat's", 'x [m]'], strategy: 'mode' }] })
    expect(mode.rows.map((r) => r["cat's"])).toEqual(['a', 'b', 'b', 'b', 'a', 'b'])
    // every value of x appears once: the tie goes to the smallest
    expect(mode.rows.map((r) => r['x [m]'])).toEqual([10, 10, 20, 60, 10, 30])
  })

  it('statistics follow earlier steps: the mean of a column cast from text', async () => {
    const input = await dataset(`SELECT * FROM (VALUES ('1'), ('x'), ('5'), (NULL)) t(v)`)
    const { rows } = await transformRun(input, {
      steps: [
        { op: 'cast', columns: ['v'], to: 'number', onError: 'null' },
        { op: 'fill_nulls', columns: ['v'], strategy: 'mean' },
      ],
    })
    expect(rows.map((r) => r.v)).toEqual([1, 3, 5, 3])
  })

  it('refuses a mean of text, a constant that is not of the column type, and a constant without a value', async () => {
    const input = await dataset(numbers)
    expect((await transformFails(input, { steps: [{ op: 'fill_nulls', columns: ["cat's"], strategy: 'mean' }] })).message).toBe(
      `Step 1 (fill_nulls): the mean of column "cat's" is not defined: it holds VARCHAR, not numbers`,
    )
    expect((await transformFails(input, { steps: [{ op: 'fill_nulls', columns: ['x [m]'], value: 'lots' }] })).message).toBe(
      'Step 1 (fill_nulls): the fill value "lots" is not a number, but column "x [m]" holds numbers (INTEGER)',
    )
  })
})

describe('dedupe', () => {
  it('keeps the first (or last) of repeated rows, in input order; NULLs count as equal', async () => {
    const input = await dataset(
      `SELECT * FROM (VALUES (1, 'a', NULL), (2, 'b', 1), (3, 'a', NULL), (4, 'b', 2), (5, 'b', 1)) t(id, "k ey", v)`,
    )
    const first = await transformRun(input, { steps: [{ op: 'dedupe', columns: ['k ey', 'v'] }] })
    expect(first.rows.map((r) => r.id)).toEqual([1, 2, 4])
    const last = await transformRun(input, { steps: [{ op: 'dedupe', columns: ['k ey'], keep: 'last' }] })
    expect(last.rows.map((r) => r.id)).toEqual([3, 5])
    const whole = await transformRun(input, { steps: [{ op: 'drop', columns: ['id'] }, { op: 'dedupe' }] })
    expect(whole.rows).toEqual([
      { 'k ey': 'a', v: null },
      { 'k ey': 'b', v: 1 },
      { 'k ey': 'b', v: 2 },
    ])
  })

  it('keeps row order on a table large enough to be read in parallel', async () => {
    const input = await dataset(`SELECT range AS id, range % 1000 AS k FROM range(300000)`)
    const { rows } = await transformRun(input, { steps: [{ op: 'dedupe', columns: ['k'], keep: 'last' }] })
    expect(rows.length).toBe(1000)
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 1000 }, (_, i) => 299000 + i))
  })
})

describe('parse_date', () => {
  it('parses with a strptime format into the same or a new column; a value that does not match fails or becomes NULL', async () => {
    const input = await dataset(`SELECT * FROM (VALUES ('05/01/2024'), ('29/02/2024 '), (NULL), ('31/02/2024')) t("seen on")`)
    const failed = await transformFails(input, { steps: [{ op: 'parse_date', column: 'seen on', format: '%d/%m/%Y' }] })
    expect(failed.message).toBe(
      `Step 1 (parse_date): "31/02/2024" in column "seen on" does not match the format "%d/%m/%Y"; set onError to 'null' to leave such values empty`,
    )
    const { rows, types } = await transformRun(input, {
      steps: [{ op: 'parse_date', column: 'seen on', format: '%d/%m/%Y', into: 'day', onError: 'null' }],
    })
    // trailing spaces are fine to strptime; 31 February is not a date
    expect(rows.map((r) => r.day)).toEqual(['2024-01-05', '2024-02-29', null, null])
    expect(types).toEqual({ 'seen on': 'VARCHAR', day: 'DATE' })
    const ts = await transformRun(input, { steps: [{ op: 'parse_date', column: 'seen on', format: '%d/%m/%Y', to: 'timestamp', onError: 'null' }] })
    expect(ts.rows[0]).toEqual({ 'seen on': '2024-01-05T00:00:00' })
  })

  it('refuses a column that is not text', async () => {
    const input = await dataset(`SELECT 1 AS n`)
    const error = await transformFails(input, { steps: [{ op: 'parse_date', column: 'n', format: '%Y' }] })
    expect(error.message).toBe('Step 1 (parse_date): column "n" holds INTEGER, not text; use a cast step to change its type')
  })
})

describe('no steps', () => {
  it('passes the dataset through unchanged', async () => {
    const input = await dataset(odd)
    const { rows } = await transformRun(input, { steps: [] })
    expect(rows.length).toBe(4)
  })
})
