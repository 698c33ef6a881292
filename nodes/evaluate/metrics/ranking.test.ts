import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evaluateClassification, segmentReport } from './evaluation'
import { binaryAveragePrecision, binaryRocAuc, logLoss, precisionRecallCurve, rankingMetrics, rocCurve, type CurvePoints } from './ranking'
import { closeTo, sklearn } from './sklearn.testkit'

interface ReferenceClass {
  roc_auc: number | null
  average_precision: number | null
  roc?: CurvePoints
  pr?: CurvePoints
}
interface ReferenceRanking {
  classes: ReferenceClass[]
  roc_auc: number | null
  log_loss: number | null
}

function sameCurve(ours: CurvePoints, theirs: CurvePoints, what: string, skipFirstThreshold = false) {
  expect(ours.x.length, `${what}: points`).toBe(theirs.x.length)
  ours.x.forEach((v, i) => closeTo(v, theirs.x[i]!, `${what} x[${i}]`))
  ours.y.forEach((v, i) => closeTo(v, theirs.y[i]!, `${what} y[${i}]`))
  const from = skipFirstThreshold ? 1 : 0
  ours.thresholds.slice(from).forEach((v, i) => closeTo(v, theirs.thresholds[i + from]!, `${what} threshold[${i + from}]`))
}

describe('ranking metrics', () => {
  it('match hand-computed values: a perfect ranking, a tie, the area under ROC and average precision', () => {
    const truth = [false, false, true, true]
    expect(binaryRocAuc(truth, [0.1, 0.4, 0.35, 0.8])).toBe(0.75)
    expect(binaryRocAuc(truth, [0.1, 0.2, 0.8, 0.9])).toBe(1)
    // a positive and a negative tied at 0.5: half a pair counts
    expect(binaryRocAuc([false, true], [0.5, 0.5])).toBe(0.5)
    expect(binaryRocAuc([true, true], [0.2, 0.9])).toBeNull()
    // scores 0.8 (+), 0.4 (−), 0.35 (+), 0.1 (−): AP = ½·1 + ½·⅔
    closeTo(binaryAveragePrecision(truth, [0.1, 0.4, 0.35, 0.8])!, 0.5 + 1 / 3, 'average precision')
    expect(rocCurve(truth, [0.1, 0.4, 0.35, 0.8])).toEqual({ x: [0, 0, 0.5, 0.5, 1], y: [0, 0.5, 0.5, 1, 1], thresholds: [1.8, 0.8, 0.4, 0.35, 0.1] })
    expect(precisionRecallCurve([true, false], [0.9, 0.1]).y).toEqual([0.5, 1, 1])
  })

  it('log loss clips a zero probability instead of answering infinity, and is null for a class the model lacks', () => {
    const certainAndWrong = logLoss(['a'], { labels: ['a', 'b'], values: [0, 1] })!
    closeTo(certainAndWrong, -Math.log(Number.EPSILON / (Number.EPSILON + 1 - Number.EPSILON)), 'log loss')
    closeTo(logLoss(['a', 'b'], { labels: ['a', 'b'], values: [0.8, 0.2, 0.4, 0.6] })!, -(Math.log(0.8) + Math.log(0.6)) / 2, 'log loss')
    expect(logLoss(['c'], { labels: ['a', 'b'], values: [0.5, 0.5] })).toBeNull()
  })

  it('one-vs-rest macro ROC-AUC averages the classes that occur in the truth', () => {
    const labels = ['a', 'b', 'c']
    // c never occurs: only a and b count
    const result = rankingMetrics(['a', 'b'], { labels, values: [0.7, 0.2, 0.1, 0.2, 0.5, 0.3] })
    expect(result.curves.map((c) => c.roc_auc)).toEqual([1, 1, null])
    expect(result.roc_auc).toBe(1)
  })

  it('equal scikit-learn on random scores with ties, absent classes and 2 to 4 classes', () => {
    const alphabet = ['cat', 'dog', 'Gentoo 🐧', 'a "b"']
    const arbitraryCase = fc.record({ classes: fc.integer({ min: 2, max: 4 }), rows: fc.integer({ min: 1, max: 60 }) }).chain(({ classes, rows }) =>
      fc.record({
        labels: fc.constant(alphabet.slice(0, classes)),
        truth: fc.array(fc.constantFrom(...alphabet.slice(0, classes)), { minLength: rows, maxLength: rows }),
        // small whole weights make many tied scores; every row gets at least one
        weights: fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: classes, maxLength: classes }), { minLength: rows, maxLength: rows }),
      }),
    )
    const cases = fc.sample(arbitraryCase, { numRuns: 60, seed: 13 }).map((c) => {
      const rows = c.weights.map((w) => (w.every((v) => v === 0) ? [1, ...w.slice(1)] : w)).map((w) => w.map((v) => v / w.reduce((a, b) => a + b, 0)))
      return { ...c, rows }
    })
    const theirs = sklearn<ReferenceRanking>(cases.map((c) => ({ kind: 'ranking', labels: c.labels, truth: c.truth, probabilities: c.rows })))
    let compared = 0
    cases.forEach((c, i) => {
      const ours = rankingMetrics(c.truth, { labels: c.labels, values: c.rows.flat() })
      const reference = theirs[i]!
      ours.curves.forEach((curve, k) => {
        const ref = reference.classes[k]!
        const what = `case ${i} class ${curve.label}`
        expect(curve.roc_auc === null, `${what} roc_auc defined`).toBe(ref.roc_auc === null)
        if (ref.roc_auc !== null) closeTo(curve.roc_auc!, ref.roc_auc, `${what} roc_auc`)
        if (ref.roc) sameCurve(curve.roc, ref.roc, `${what} roc`, true)
        expect(curve.average_precision === null, `${what} average_precision defined`).toBe(ref.average_precision === null)
        if (ref.average_precision !== null) closeTo(curve.average_precision!, ref.average_precision, `${what} average_precision`)
        if (ref.pr) sameCurve(curve.pr, ref.pr, `${what} pr`)
        compared++
      })
      if (reference.roc_auc !== null) closeTo(ours.roc_auc!, reference.roc_auc, `case ${i} macro roc_auc`)
      expect(ours.log_loss === null, `case ${i} log_loss defined`).toBe(reference.log_loss === null)
      if (reference.log_loss !== null) closeTo(ours.log_loss!, reference.log_loss, `case ${i} log_loss`)
    })
    expect(compared).toBeGreaterThan(100)
  })
})

describe('per-segment metrics', () => {
  it('equal scikit-learn per segment, a single-class segment among them, and name the largest gap', () => {
    const alphabet = ['cat', 'dog', 'owl']
    const cases: { truth: string[]; predicted: string[]; segments: string[] }[] = fc.sample(
      fc.integer({ min: 2, max: 80 }).chain((rows) =>
        fc.record({
          truth: fc.array(fc.constantFrom(...alphabet), { minLength: rows, maxLength: rows }),
          predicted: fc.array(fc.constantFrom(...alphabet), { minLength: rows, maxLength: rows }),
          segments: fc.array(fc.constantFrom('north', 'south', 'Île "x"'), { minLength: rows, maxLength: rows }),
        }),
      ),
      { numRuns: 30, seed: 17 },
    )
    // one segment whose rows are all one class
    cases.push({ truth: ['cat', 'cat', 'dog', 'owl'], predicted: ['cat', 'dog', 'dog', 'cat'], segments: ['solo', 'solo', 'mixed', 'mixed'] })
    const theirs = sklearn<Record<string, Record<string, number>>>(cases.map((c) => ({ kind: 'segments', ...c })))
    cases.forEach((c, i) => {
      const report = segmentReport('region', c.segments, 1, { task: 'classification', answers: { ...c, probabilities: null, labels: alphabet } }, () => false)
      for (const segment of report.segments) {
        const reference = theirs[i]![segment.segment]!
        expect(segment.rows).toBe(reference.rows)
        for (const name of ['accuracy', 'precision_macro', 'recall_macro', 'f1_macro']) closeTo(segment.metrics[name]!, reference[name]!, `case ${i} ${segment.segment} ${name}`)
      }
      const accuracies = report.segments.map((s) => s.metrics.accuracy!)
      const gap = report.gaps.find((g) => g.metric === 'accuracy')
      if (accuracies.length > 1) closeTo(gap!.gap, Math.max(...accuracies) - Math.min(...accuracies), `case ${i} accuracy gap`)
    })
  })

  it('leaves segments under the minimum out of the gap, and takes the lower error as the better', () => {
    const report = segmentReport('site', ['a', 'a', 'b', 'b', 'c'], 2, { task: 'regression', answers: { truth: [1, 2, 3, 4, 5], predicted: [1, 2, 5, 6, 50] } }, (m) => m !== 'r2')
    expect(report.segments.map((s) => [s.segment, s.counted])).toEqual([['a', true], ['b', true], ['c', false]])
    const mae = report.gaps.find((g) => g.metric === 'mae')!
    expect(mae).toEqual({ metric: 'mae', gap: 2, best: { segment: 'a', value: 0 }, worst: { segment: 'b', value: 2 } })
  })

  it('an evaluation carries the ranking metrics beside the others', () => {
    const result = evaluateClassification({ truth: ['a', 'b', 'b'], predicted: ['a', 'b', 'a'], probabilities: [0.9, 0.1, 0.2, 0.8, 0.6, 0.4], labels: ['a', 'b'] })
    expect(Object.keys(result.metrics)).toEqual(expect.arrayContaining(['accuracy', 'f1_macro', 'roc_auc', 'average_precision', 'log_loss']))
    expect(result.metrics.roc_auc).toBe(1)
    expect(result.curves.map((c) => c.label)).toEqual(['b'])
  })
})
