import { describe, expect, it } from 'vitest'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { answerOf, median, topScores } from './answer'
import { compareAnswers, serverAnswerSchema } from './compare'

const classifier = { task: 'classification', labels: ['a', 'b', 'c'] } as ModelMetadata

describe('the browser answer', () => {
  it('names the scores by label and takes the label output as the prediction', () => {
    const answer = answerOf(classifier, {
      label: { type: 'string', data: ['b'], dims: [1] },
      probabilities: { type: 'float32', data: Float32Array.from([0.2, 0.7, 0.1]), dims: [1, 3] },
    })
    expect(answer.label).toBe('b')
    expect(Object.keys(answer.scores!)).toEqual(['a', 'b', 'c'])
    expect(answer.scores!.b).toBeCloseTo(0.7, 6)
  })

  it('picks the best class when the model has no label output, and indexes classes it has no names for', () => {
    const answer = answerOf({ task: 'classification' } as ModelMetadata, { scores: { type: 'float32', data: Float32Array.from([0.1, 0.6, 0.3]), dims: [1, 3] } })
    expect(answer).toEqual({ label: '1', scores: { 0: expect.closeTo(0.1, 6), 1: expect.closeTo(0.6, 6), 2: expect.closeTo(0.3, 6) }, value: null })
  })

  it('reads a regression value from prediction', () => {
    expect(answerOf({ task: 'regression' } as ModelMetadata, { prediction: { type: 'float32', data: Float32Array.from([12.5]), dims: [1, 1] } })).toEqual({ label: null, scores: null, value: 12.5 })
  })

  it('shows at most five classes, best first, and takes the p50 of the timings', () => {
    const scores = Object.fromEntries('abcdefg'.split('').map((l, i) => [l, i / 10]))
    expect(topScores(scores, 9).map((s) => s.label)).toEqual(['g', 'f', 'e', 'd', 'c'])
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
})

describe('comparing with the server', () => {
  it('gives the largest absolute difference of the scores, per label, and whether the labels agree', () => {
    const browser = { label: 'b', scores: { a: 0.2, b: 0.7, c: 0.1 }, value: null }
    const comparison = compareAnswers(browser, { label: 'b', scores: { a: 0.2000003, b: 0.6999990, c: 0.1000007 }, fallback: false })
    expect(comparison.largest).toBeCloseTo(1e-6, 9)
    expect(comparison.perLabel.map((d) => d.label)).toEqual(['a', 'b', 'c'])
    expect(comparison.perLabel[2]!.difference).toBeCloseTo(7e-7, 9)
    expect(comparison.sameLabel).toBe(true)
    expect(comparison.unmatched).toEqual([])
  })

  it('says which labels only one side scored, and that the labels differ', () => {
    const comparison = compareAnswers({ label: 'a', scores: { a: 0.6, b: 0.4 }, value: null }, { label: 'z', scores: { a: 0.1, z: 0.9 } })
    expect(comparison.largest).toBeCloseTo(0.5, 9)
    expect(comparison.unmatched).toEqual(['b', 'z'])
    expect(comparison.sameLabel).toBe(false)
  })

  it('compares regression values, and has nothing to compare when the server gave neither', () => {
    expect(compareAnswers({ label: null, scores: null, value: 3.25 }, { value: 3.5 }).largest).toBe(0.25)
    expect(compareAnswers({ label: null, scores: null, value: 3.25 }, { label: null }).largest).toBeNull()
  })

  it('reads the predict route’s answer and refuses one without predictions', () => {
    expect(serverAnswerSchema.parse({ modelVersion: 2, predictions: [{ label: 'a', scores: { a: 1 }, fallback: false }] }).predictions[0]!.label).toBe('a')
    expect(serverAnswerSchema.safeParse({ modelVersion: 2, predictions: [] }).error?.issues[0]?.message).toBe('the server answered no prediction')
  })
})
