import { describe, expect, it } from 'vitest'
import { useTransformKit } from './test-kit'

const { dataset, transformRun, transformFails } = useTransformKit()

describe('one_hot', () => {
  const colours = `SELECT * FROM (VALUES (1, 'red'), (2, 'blue'), (3, NULL), (4, 'red'), (5, 'gr"een'), (6, 'blue'), (7, 'red')) t(id, "colour [x]")`

  it('makes one 0/1 column per value, most frequent first, in place of the original; NULL is 0 everywhere', async () => {
    const input = await dataset(colours)
    const { rows, types } = await transformRun(input, { steps: [{ op: 'one_hot', column: 'colour [x]' }] })
    expect(Object.keys(types)).toEqual(['id', 'colour [x]_red', 'colour [x]_blue', 'colour [x]_gr"een'])
    expect(types['colour [x]_red']).toBe('INTEGER')
    expect(rows.map((r) => [r['colour [x]_red'], r['colour [x]_blue'], r['colour [x]_gr"een']])).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ])
  })

  it('puts values beyond maxCategories into column_other and can keep the original', async () => {
    const input = await dataset(colours)
    const { rows } = await transformRun(input, { steps: [{ op: 'one_hot', column: 'colour [x]', maxCategories: 1, dropOriginal: false }] })
    expect(Object.keys(rows[0]!)).toEqual(['id', 'colour [x]', 'colour [x]_red', 'colour [x]_other'])
    expect(rows.map((r) => [r['colour [x]_red'], r['colour [x]_other']])).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 1],
      [1, 0],
    ])
  })

  it('refuses a new column that clashes with an existing one', async () => {
    const input = await dataset(`SELECT 'a' AS c, 1 AS "C_A"`)
    const error = await transformFails(input, { steps: [{ op: 'one_hot', column: 'c' }] })
    expect(error.message).toBe('Step 1 (one_hot): the new column "c_a" would clash with the column "C_A"')
  })
})

describe('bin', () => {
  const values = `SELECT * FROM (VALUES (0.0), (1.0), (2.5), (5.0), (7.5), (10.0), (NULL)) t("x [cm]")`

  it('equal width: count bins from min to max, the maximum in the last, NULL stays NULL', async () => {
    const input = await dataset(values)
    const { rows, types } = await transformRun(input, { steps: [{ op: 'bin', column: 'x [cm]', count: 4 }] })
    expect(rows.map((r) => r['x [cm]_bin'])).toEqual([1, 1, 2, 3, 4, 4, null])
    expect(types['x [cm]_bin']).toBe('INTEGER')
  })

  it('own edges with labels: [a, b) bins, the last closed; values outside are NULL', async () => {
    const input = await dataset(values)
    const { rows } = await transformRun(input, {
      steps: [{ op: 'bin', column: 'x [cm]', method: 'edges', edges: [1, 5, 10], labels: ['small', "it's big"], into: 'size' }],
    })
    expect(rows.map((r) => r.size)).toEqual([null, 'small', 'small', "it's big", "it's big", "it's big", null])
    expect(Object.keys(rows[0]!)).toEqual(['x [cm]', 'size'])
  })

  it('quantile: bins of about equal size', async () => {
    const input = await dataset(`SELECT range::DOUBLE AS v FROM range(1, 13)`)
    const { rows } = await transformRun(input, { steps: [{ op: 'bin', column: 'v', method: 'quantile', count: 3, into: 'v' }] })
    expect(rows.map((r) => r.v)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
  })

  it('refuses text columns', async () => {
    const input = await dataset(`SELECT 'a' AS s`)
    expect((await transformFails(input, { steps: [{ op: 'bin', column: 's' }] })).message).toBe('Step 1 (bin): column "s" holds VARCHAR, not numbers')
  })
})

describe('scale', () => {
  it('min-max to [0, 1] and standard (population deviation); NULLs stay NULL; a constant column becomes 0', async () => {
    const input = await dataset(`SELECT * FROM (VALUES (2, 1.0, 5), (4, NULL, 5), (6, 3.0, 5), (8, 5.0, 5)) t("a b", "c""d", k)`)
    const minMax = await transformRun(input, { steps: [{ op: 'scale', columns: ['a b', 'c"d', 'k'], method: 'min_max' }] })
    expect(minMax.rows).toEqual([
      { 'a b': 0, 'c"d': 0, k: 0 },
      { 'a b': 1 / 3, 'c"d': null, k: 0 },
      { 'a b': 2 / 3, 'c"d': 0.5, k: 0 },
      { 'a b': 1, 'c"d': 1, k: 0 },
    ])
    const standard = await transformRun(input, { steps: [{ op: 'scale', columns: ['a b'] }] })
    const sd = Math.sqrt(5) // values 2, 4, 6, 8: mean 5, population variance 5
    expect(standard.rows.map((r) => r['a b'])).toEqual([-3 / sd, -1 / sd, 1 / sd, 3 / sd].map((v) => expect.closeTo(v, 12)))
    expect(standard.types['a b']).toBe('DOUBLE')
  })

  it('refuses text columns', async () => {
    const input = await dataset(`SELECT 'a' AS s`)
    expect((await transformFails(input, { steps: [{ op: 'scale', columns: ['s'] }] })).message).toBe('Step 1 (scale): column "s" holds VARCHAR, not numbers')
  })
})
