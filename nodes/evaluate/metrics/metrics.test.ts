import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classificationMetrics } from './classification'
import { regressionMetrics } from './regression'
import { closeTo, sklearn } from './sklearn.testkit'

describe('classification metrics', () => {
  it('match hand-computed values, with zero_division 0 for a class never predicted', () => {
    // truth a a b b c, predicted a b b b b: a P 1/1 R 1/2; b P 2/4 R 2/2; c never predicted: P 0 R 0
    const { metrics, per_class, confusion_matrix } = classificationMetrics(['a', 'a', 'b', 'b', 'c'], ['a', 'b', 'b', 'b', 'b'], ['a', 'b', 'c'])
    expect(metrics.accuracy).toBe(3 / 5)
    expect(per_class.map((c) => [c.label, c.precision, c.recall, c.support])).toEqual([
      ['a', 1, 0.5, 2],
      ['b', 0.5, 1, 2],
      ['c', 0, 0, 1],
    ])
    closeTo(metrics.f1_macro, (2 / 3 + 2 / 3 + 0) / 3, 'f1_macro')
    expect(confusion_matrix.matrix).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [0, 1, 0],
    ])
  })

  it('average over the classes the rows show: a class the model knows but no row has or gets is listed, not counted', () => {
    const { metrics, per_class } = classificationMetrics(['a', 'a', 'b'], ['a', 'a', 'b'], ['a', 'b', 'typo'])
    expect(per_class.map((c) => c.label)).toEqual(['a', 'b', 'typo'])
    expect([metrics.f1_macro, metrics.precision_macro, metrics.recall_macro]).toEqual([1, 1, 1])
  })

  it('equal scikit-learn on random labels: absent classes, a single class, 2 to 5 classes', () => {
    const alphabet = ['cat', 'dog', 'owl', 'Gentoo 🐧', 'a "b"']
    const arbitraryCase = fc
      .record({ classes: fc.integer({ min: 1, max: 5 }), rows: fc.integer({ min: 1, max: 60 }), seed: fc.integer() })
      .chain(({ classes, rows }) =>
        fc.record({
          known: fc.constant(alphabet.slice(0, classes)),
          truth: fc.array(fc.constantFrom(...alphabet.slice(0, classes)), { minLength: rows, maxLength: rows }),
          predicted: fc.array(fc.constantFrom(...alphabet.slice(0, Math.min(5, classes + 1))), { minLength: rows, maxLength: rows }),
        }),
      )
    const cases = fc.sample(arbitraryCase, { numRuns: 40, seed: 7 })
    const ours = cases.map((c) => classificationMetrics(c.truth, c.predicted, c.known))
    const theirs = sklearn(ours.map((r, i) => ({ kind: 'classification', labels: r.confusion_matrix.labels, truth: cases[i]!.truth, predicted: cases[i]!.predicted })))
    ours.forEach((result, i) => {
      const reference = theirs[i] as Record<string, number> & { confusion_matrix: number[][]; per_class: { precision: number; recall: number; f1: number; support: number }[] }
      for (const [name, value] of Object.entries(result.metrics)) closeTo(value, reference[name]!, `case ${i} ${name}`)
      expect(result.confusion_matrix.matrix).toEqual(reference.confusion_matrix)
      result.per_class.forEach((c, k) => {
        closeTo(c.precision, reference.per_class[k]!.precision, `case ${i} ${c.label} precision`)
        closeTo(c.recall, reference.per_class[k]!.recall, `case ${i} ${c.label} recall`)
        closeTo(c.f1, reference.per_class[k]!.f1, `case ${i} ${c.label} f1`)
        expect(c.support).toBe(reference.per_class[k]!.support)
      })
    })
  })
})

describe('regression metrics', () => {
  it('match hand-computed values, and R² of a constant truth as scikit-learn has it', () => {
    // errors 1, -1, 0: MAE 2/3, RMSE sqrt(2/3); truth mean 2, total 2 → R² 1 - 2/2 = 0
    expect(regressionMetrics([1, 2, 3], [0, 3, 3])).toEqual({ mae: 2 / 3, rmse: Math.sqrt(2 / 3), r2: 0 })
    expect(regressionMetrics([5, 5], [5, 5]).r2).toBe(1)
    expect(regressionMetrics([5, 5], [5, 6]).r2).toBe(0)
    expect(regressionMetrics([5], [4]).r2).toBeNull()
  })

  it('equal scikit-learn on random values', () => {
    const cases = fc.sample(
      fc.integer({ min: 1, max: 80 }).chain((n) =>
        fc.record({
          truth: fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
          predicted: fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
        }),
      ),
      { numRuns: 40, seed: 11 },
    )
    const theirs = sklearn(cases.map((c) => ({ kind: 'regression', ...c })))
    cases.forEach((c, i) => {
      const ours = regressionMetrics(c.truth, c.predicted)
      const reference = theirs[i] as Record<string, number | null>
      for (const name of ['mae', 'rmse', 'r2'] as const) {
        const [mine, theirs] = [ours[name], reference[name] ?? null]
        if (mine === null || theirs === null) expect(mine, `case ${i} ${name}`).toBe(theirs)
        else expect(Math.abs(mine - theirs), `case ${i} ${name}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(theirs)))
      }
    })
  })
})
