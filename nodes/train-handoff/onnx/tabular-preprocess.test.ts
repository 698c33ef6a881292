import { describe, expect, it } from 'vitest'
import { withDuckDB } from '../../_lib/duckdb'
import { preprocessOnlyModel } from './assemble'
import {
  featureWidth,
  numberInput,
  fitTabularPreprocess,
  preprocessRows,
  tabularInputs,
  tabularPreprocessGraph,
  type TabularFeatureSpec,
} from './tabular-preprocess'
import { oddFeatures, oddRows } from './test-tables'
import { floats, maxAbsDiff, runModel, runtimes } from './test-runtimes'

describe('fitting tabular preprocessing', () => {
  it('learns the mean and population std, ignoring missing values, and scales a constant column by 1', () => {
    const fitted = fitTabularPreprocess([{ x: 1 }, { x: 3 }, { x: null }, { x: Number.NaN }, { x: 5 }, { x: 'text' }], [{ name: 'x', kind: 'number' }])
    const column = fitted.columns[0]
    expect(column?.kind).toBe('number')
    if (column?.kind !== 'number') return
    expect(column.mean).toBe(3)
    expect(column.std).toBeCloseTo(Math.sqrt(8 / 3), 12)
    const constant = fitTabularPreprocess([{ x: 2 }, { x: 2 }], [{ name: 'x', kind: 'number' }]).columns[0]
    expect(constant).toEqual({ name: 'x', kind: 'number', mean: 2, std: 1 })
    const empty = fitTabularPreprocess([{ x: null }], [{ name: 'x', kind: 'number' }]).columns[0]
    expect(empty).toEqual({ name: 'x', kind: 'number', mean: 0, std: 1 })
  })

  it('lists categories sorted, without the missing or empty value, keeping the most frequent (ties by value)', () => {
    const rows = ['b', 'a', '', 'c', 'b', null, 'c', 'b', 'a'].map((v) => ({ c: v }))
    expect(fitTabularPreprocess(rows, [{ name: 'c', kind: 'category' }]).columns[0]).toEqual({ name: 'c', kind: 'category', categories: ['a', 'b', 'c'] })
    expect(fitTabularPreprocess(rows, [{ name: 'c', kind: 'category' }], { maxCategories: 2 }).columns[0]).toEqual({ name: 'c', kind: 'category', categories: ['a', 'b'] })
  })

  it('leaves out values longer than the metadata allows, and reads numbers in a category column as text', () => {
    const rows = [{ c: 'x'.repeat(1001) }, { c: 7 }, { c: true }]
    expect(fitTabularPreprocess(rows, [{ name: 'c', kind: 'category' }]).columns[0]).toEqual({ name: 'c', kind: 'category', categories: ['7', 'true'] })
  })

  it('refuses an empty feature list', () => {
    expect(() => fitTabularPreprocess([], [])).toThrow(/at least one feature/)
  })
})

describe('preprocessRows', () => {
  it('imputes with the mean, standardises, and one-hot encodes with unknown and missing as zeros', () => {
    const features: TabularFeatureSpec[] = [
      { name: 'x', kind: 'number' },
      { name: 'c', kind: 'category' },
    ]
    const fitted = fitTabularPreprocess([{ x: 0, c: 'a' }, { x: 4, c: 'b' }], features)
    const out = preprocessRows([{ x: 4, c: 'b' }, { x: null, c: 'zzz' }, { x: 0, c: null }], fitted)
    expect([...out]).toEqual([1, 0, 1, 0, 0, 0, -1, 0, 0])
  })
})

describe('the tabular preprocessing graph', () => {
  const fitted = fitTabularPreprocess(oddRows(120, 1), oddFeatures)
  const bytes = preprocessOnlyModel(tabularPreprocessGraph(fitted))

  it('takes one input per column, named exactly as the column', () => {
    const graph = tabularPreprocessGraph(fitted)
    expect(graph.inputs).toEqual(oddFeatures.map((f) => ({ name: f.name, type: f.kind === 'number' ? 'float32' : 'string', shape: ['N', 1] })))
    expect(graph.featureShape).toEqual([featureWidth(fitted)])
  })

  for (const runtime of runtimes) {
    it(`in ${runtime} gives the numbers preprocessRows gives, to 1e-6, for 1 and 33 rows`, async () => {
      for (const count of [1, 33]) {
        // unseen rows: other values, and categories the training data never had
        const rows = oddRows(count, 99).map((r, i) => (i % 3 === 1 ? { ...r, 'island "name"': 'Atlantis' } : r))
        const out = await runModel(runtime, bytes, tabularInputs(rows, fitted))
        const expected = preprocessRows(rows, fitted)
        expect(out['pipewright.pre/features']?.dims).toEqual([count, featureWidth(fitted)])
        expect(maxAbsDiff(floats(out, 'pipewright.pre/features'), expected)).toBeLessThanOrEqual(1e-6)
      }
    })
  }

  for (const runtime of runtimes) {
    it(`in ${runtime} takes an empty batch`, async () => {
      const out = await runModel(runtime, bytes, tabularInputs([], fitted))
      expect(out['pipewright.pre/features']?.dims).toEqual([0, featureWidth(fitted)])
    })

    it(`in ${runtime} still takes a category column that had no values in training, contributing nothing`, async () => {
      const sparse = fitTabularPreprocess([{ x: 1, c: null }, { x: 3, c: '' }], [{ name: 'x', kind: 'number' }, { name: 'c', kind: 'category' }])
      const rows = [{ x: 3, c: 'new' }]
      const out = await runModel(runtime, preprocessOnlyModel(tabularPreprocessGraph(sparse)), tabularInputs(rows, sparse))
      expect([...floats(out, 'pipewright.pre/features')]).toEqual([1])
    })
  }

  it('refuses a table whose category columns are all empty', () => {
    const empty = fitTabularPreprocess([{ c: null }], [{ name: 'c', kind: 'category' }])
    expect(() => tabularPreprocessGraph(empty)).toThrow(/no feature columns/)
  })
})

describe('a raw cell as a number input', () => {
  it('reads numbers, decimal text and booleans, and anything else as missing', () => {
    expect([3.5, 7n, ' 1e3 ', '-0.25', '.5', '+2.', true, false].map(numberInput)).toEqual([3.5, 7, 1000, -0.25, 0.5, 2, 1, 0])
    expect(['', 'abc', '1,5', '0x10', '1 2', null, undefined, {}].map(numberInput).every(Number.isNaN)).toBe(true)
  })

  it('agrees with DuckDB TRY_CAST to DOUBLE, which evaluate uses, on the same text', async () => {
    const texts = ['3.5', ' 1e3 ', '-0.25', '.5', '+2.', '', 'abc', '1,5', '1 2', '7']
    const cast = await withDuckDB((db) => db.rows(`SELECT TRY_CAST(t AS DOUBLE) AS v FROM (VALUES ${texts.map((t) => `('${t}')`).join(', ')}) v(t)`))
    expect(texts.map(numberInput)).toEqual(cast.map((r) => (r.v === null ? Number.NaN : r.v)))
  })
})
