import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evaluateFailsafe, formatNumber, type FailsafeInput } from './evaluate'
import { classifier, confident, normalFlower, regressor, unsure } from './fixtures'
import { failsafeSchema, type FailsafeConfigInput } from './schema'

const config = (input: FailsafeConfigInput) => failsafeSchema.parse(input)
const guarded = config({ minConfidence: 0.6, outOfRange: {}, action: { type: 'label', label: 'needs review' } })

function flower(record: Record<string, unknown>, outcome: FailsafeInput['outcome'] = confident): FailsafeInput {
  return { metadata: classifier, record, outcome }
}

describe('when the fail-safe fires', () => {
  it('stays quiet on a normal, confident prediction', () => {
    expect(evaluateFailsafe(guarded, flower(normalFlower))).toEqual({ fallback: false })
  })

  it('fires on low confidence, naming the top class and its score', () => {
    expect(evaluateFailsafe(guarded, flower(normalFlower, unsure))).toEqual({
      fallback: true,
      reason: 'low-confidence',
      detail: `the model's top class "versicolor" scored 0.4, below the minimum confidence 0.6`,
      answer: { label: 'needs review' },
    })
    expect(evaluateFailsafe(guarded, flower(normalFlower, { scores: { a: 0.6, b: 0.4 } })).fallback).toBe(false)
  })

  it('fires on a number outside the training range, in words', () => {
    const decision = evaluateFailsafe(guarded, flower({ ...normalFlower, 'petal length': 42 }))
    expect(decision).toMatchObject({ fallback: true, reason: 'out-of-range', detail: 'petal length 42 is outside the training range 1–6.9' })
    expect(evaluateFailsafe(guarded, flower({ ...normalFlower, 'sepal width [cm]': 1.5 }))).toMatchObject({
      detail: 'sepal width [cm] 1.5 is outside the training range 2–4.4',
    })
  })

  it('reads numbers as the model reads them: decimal text and booleans count, other text is missing', () => {
    expect(evaluateFailsafe(guarded, flower({ ...normalFlower, 'petal length': ' 4.2e1 ' }))).toMatchObject({ detail: 'petal length 42 is outside the training range 1–6.9' })
    expect(evaluateFailsafe(guarded, flower({ ...normalFlower, 'petal length': true })).fallback).toBe(false)
    expect(evaluateFailsafe(guarded, flower({ ...normalFlower, 'petal length': 'long' })).fallback).toBe(false)
    expect(evaluateFailsafe(guarded, flower({ ...normalFlower, 'petal length': '1e400' }))).toMatchObject({ reason: 'out-of-range', detail: /Infinity is outside/ })
  })

  it('never counts a missing value as out of range: the model imputes it', () => {
    const { 'petal length': _gone, ...without } = normalFlower
    expect(evaluateFailsafe(guarded, flower(without)).fallback).toBe(false)
    expect(evaluateFailsafe(guarded, flower({ ...normalFlower, 'petal length': null, 'colour (dye)': null })).fallback).toBe(false)
    expect(evaluateFailsafe(guarded, flower({ ...normalFlower, 'colour (dye)': '' })).fallback).toBe(false)
  })

  it('accepts the edges and allows the tolerance beyond them, as a fraction of the range', () => {
    expect(evaluateFailsafe(guarded, flower({ ...normalFlower, 'petal length': 6.9 })).fallback).toBe(false)
    expect(evaluateFailsafe(guarded, flower({ ...normalFlower, 'petal length': 1 })).fallback).toBe(false)
    const tolerant = config({ outOfRange: { tolerance: 0.1 }, action: { type: 'label', label: 'needs review' } })
    // 10% of 1–6.9 is 0.59: 0.41–7.49 passes
    expect(evaluateFailsafe(tolerant, flower({ ...normalFlower, 'petal length': 7.4 })).fallback).toBe(false)
    expect(evaluateFailsafe(tolerant, flower({ ...normalFlower, 'petal length': 0.45 })).fallback).toBe(false)
    expect(evaluateFailsafe(tolerant, flower({ ...normalFlower, 'petal length': 7.6 }))).toMatchObject({
      detail: 'petal length 7.6 is outside the training range 1–6.9 even with 10% tolerance (0.41–7.49)',
    })
  })

  it('counts a category the model was not trained on as out of range, unless told not to', () => {
    expect(evaluateFailsafe(guarded, flower({ ...normalFlower, 'colour (dye)': 'green' }))).toMatchObject({
      reason: 'out-of-range',
      detail: 'colour (dye) "green" is not a category the model was trained on',
    })
    const numbersOnly = config({ outOfRange: { unknownCategories: false }, action: { type: 'label', label: 'x' } })
    expect(evaluateFailsafe(numbersOnly, flower({ ...normalFlower, 'colour (dye)': 'green' })).fallback).toBe(false)
  })

  it('names every feature out of range, the first three in full', () => {
    const detail = (record: Record<string, unknown>) => {
      const d = evaluateFailsafe(guarded, flower(record))
      return d.fallback ? d.detail : ''
    }
    expect(detail({ 'petal length': 42, 'sepal width [cm]': 9, 'colour (dye)': 'green' })).toBe(
      'petal length 42 is outside the training range 1–6.9; sepal width [cm] 9 is outside the training range 2–4.4; colour (dye) "green" is not a category the model was trained on',
    )
    expect(detail({ 'petal length': 42, 'sepal width [cm]': 9, 'colour (dye)': 'green', constructor: -1 })).toMatch(/trained on; and 1 more$/)
  })

  it('names out of range before low confidence: the score of a strange input means little', () => {
    expect(evaluateFailsafe(guarded, flower({ ...normalFlower, 'petal length': 42 }, unsure)).fallback && 'out-of-range').toBe('out-of-range')
  })

  it('reads only the record’s own values: a feature called "constructor" is no function', () => {
    expect(evaluateFailsafe(guarded, flower({ 'petal length': 4 })).fallback).toBe(false)
    expect(evaluateFailsafe(guarded, flower({ constructor: 11 }))).toMatchObject({ detail: 'constructor 11 is outside the training range 0–10' })
  })
})

describe('a model error or timeout', () => {
  it('fires instead of a failed request, by default', () => {
    expect(evaluateFailsafe(guarded, flower(normalFlower, { error: 'model-error', message: 'Non-zero status code returned while running Gemm node' }))).toEqual({
      fallback: true,
      reason: 'model-error',
      detail: 'the model failed: Non-zero status code returned while running Gemm node',
      answer: { label: 'needs review' },
    })
    expect(evaluateFailsafe(guarded, flower(normalFlower, { error: 'timeout', message: 'no answer after 2000 ms' }))).toMatchObject({
      reason: 'timeout',
      detail: 'the model did not answer in time: no answer after 2000 ms',
    })
  })

  it('lets the request fail when onModelError is off, unless the input was out of range anyway', () => {
    const strict = config({ ...guarded, onModelError: false })
    expect(evaluateFailsafe(strict, flower(normalFlower, { error: 'timeout', message: '' }))).toEqual({ fallback: false })
    expect(evaluateFailsafe(strict, flower({ ...normalFlower, 'petal length': 42 }, { error: 'timeout', message: '' }))).toMatchObject({ reason: 'out-of-range' })
  })

  it('cuts a long error message short', () => {
    const decision = evaluateFailsafe(guarded, flower(normalFlower, { error: 'model-error', message: 'x'.repeat(5000) }))
    expect(decision.fallback && decision.detail.length).toBeLessThan(320)
  })
})

describe('what answers instead', () => {
  const failed = { error: 'model-error', message: 'boom' } as const

  it('a fixed label, or a fixed value for a regressor', () => {
    const value = config({ action: { type: 'value', value: 250_000 } })
    expect(evaluateFailsafe(value, { metadata: regressor, record: { rooms: 3 }, outcome: failed })).toMatchObject({ answer: { value: 250_000 } })
    expect(evaluateFailsafe(value, { metadata: regressor, record: { rooms: 3 }, outcome: { value: 1 } })).toEqual({ fallback: false })
  })

  it('a refusal that hands the request to a person, with the reason or its own message', () => {
    expect(evaluateFailsafe(config({ action: { type: 'refuse' } }), flower(normalFlower, failed))).toMatchObject({
      answer: { needsHuman: true, message: 'No automatic answer: the model failed: boom. A person needs to decide.' },
    })
    expect(evaluateFailsafe(config({ action: { type: 'refuse', message: 'Call the lab.' } }), flower(normalFlower, failed))).toMatchObject({
      answer: { needsHuman: true, message: 'Call the lab.' },
    })
  })

  it('rules over the raw features, odd names and all: the first that holds answers', () => {
    const rules = config({
      onModelError: true,
      action: {
        type: 'rules',
        rules: [
          { when: { feature: 'petal length', op: '<', value: 2.5 }, answer: { label: 'setosa' } },
          { when: { feature: 'sepal width [cm]', op: '>=', value: 3.5 }, answer: { label: 'versicolor' } },
          { when: { feature: 'colour (dye)', op: '==', value: 'red' }, answer: { label: 'virginica' } },
          { when: { feature: 'colour (dye)', op: '!=', value: 'blue' }, answer: { label: 'unknown dye' } },
          { when: { feature: 'constructor', op: '==', value: 7 }, answer: { label: 'seven' } },
        ],
        otherwise: { needsHuman: true },
      },
    })
    const answer = (record: Record<string, unknown>) => {
      const d = evaluateFailsafe(rules, flower(record, failed))
      return d.fallback ? d.answer : undefined
    }
    expect(answer({ 'petal length': 1.4, 'sepal width [cm]': 4 })).toEqual({ label: 'setosa' })
    expect(answer({ 'petal length': '5', 'sepal width [cm]': '3.5' })).toEqual({ label: 'versicolor' })
    expect(answer({ 'petal length': 5, 'colour (dye)': 'red' })).toEqual({ label: 'virginica' })
    expect(answer({ 'colour (dye)': 'green' })).toEqual({ label: 'unknown dye' })
    expect(answer({ constructor: '7' })).toEqual({ label: 'seven' })
    // missing values match no rule, not even !=: they fall through to a person
    expect(answer({ 'petal length': null, 'colour (dye)': null })).toEqual({ needsHuman: true, message: 'No automatic answer: the model failed: boom. A person needs to decide.' })
  })

  it('an otherwise label or value when no rule holds', () => {
    const withLabel = config({ action: { type: 'rules', rules: [{ when: { feature: 'petal length', op: '>', value: 100 }, answer: { label: 'huge' } }], otherwise: { label: 'setosa' } } })
    expect(evaluateFailsafe(withLabel, flower(normalFlower, failed))).toMatchObject({ answer: { label: 'setosa' } })
    const withValue = config({ action: { type: 'rules', rules: [{ when: { feature: 'district', op: '==', value: 'north' }, answer: { value: 300 } }], otherwise: { value: 200 } } })
    expect(evaluateFailsafe(withValue, { metadata: regressor, record: { district: 'north' }, outcome: failed })).toMatchObject({ answer: { value: 300 } })
    expect(evaluateFailsafe(withValue, { metadata: regressor, record: { district: 'south' }, outcome: failed })).toMatchObject({ answer: { value: 200 } })
  })
})

describe('hostile requests', () => {
  it('never throws, whatever the record holds and the model said', () => {
    const rules = config({
      minConfidence: 0.5,
      outOfRange: { tolerance: 0.2 },
      action: { type: 'rules', rules: [{ when: { feature: 'petal length', op: '>', value: 3 }, answer: { label: 'a' } }], otherwise: { needsHuman: true } },
    })
    const anyValue = fc.oneof(fc.anything(), fc.double(), fc.string(), fc.constantFrom(null, undefined, Number.NaN, Number.POSITIVE_INFINITY))
    const record = fc.record({ 'petal length': anyValue, 'colour (dye)': anyValue, constructor: anyValue }, { requiredKeys: [] })
    const scores = fc.dictionary(fc.string(), fc.double())
    fc.assert(
      fc.property(record, scores, (r, s) => {
        const decision = evaluateFailsafe(rules, flower(r, { scores: s }))
        if (decision.fallback) expect(decision.detail.length).toBeGreaterThan(0)
      }),
      { numRuns: 500 },
    )
  })
})

describe('numbers in sentences', () => {
  it('shows enough digits and no float noise', () => {
    expect([6.9, 0.41000000000000003, 123456.789, 7.49, 42, 0.000123456, -2.5].map(formatNumber)).toEqual(['6.9', '0.41', '123456.789', '7.49', '42', '0.000123', '-2.5'])
  })
})
