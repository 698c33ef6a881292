import { describe, expect, it } from 'vitest'
import { boardSettings } from './model'
import { rankUseCases, scoreUseCase, summarizeRatings, totalCost, type ScoringInput } from './scoring'

const settings = boardSettings.parse({})

function useCase(id: string, fields: Partial<ScoringInput> = {}): ScoringInput {
  return {
    id,
    title: id,
    severity: null,
    devCost: null,
    prodCostMonthly: null,
    maintenanceCostYearly: null,
    currency: 'EUR',
    confidence: 50,
    reach: null,
    impact: null,
    effort: null,
    businessValue: null,
    timeCriticality: null,
    riskReduction: null,
    jobSize: null,
    severityOverride: null,
    ratings: summarizeRatings([]),
    ...fields,
  }
}

const order = (items: ScoringInput[], strategy: 'pain' | 'quick-win', s = settings) =>
  rankUseCases(items, strategy, s).map((r) => `${r.rank}:${r.id}`)

describe('total cost of ownership', () => {
  it('adds development, monthly production and yearly maintenance over the horizon', () => {
    // 30,000 + 12 × 3 × 500 + 3 × 1,000 = 51,000
    const tco = totalCost(useCase('a', { devCost: 30_000, prodCostMonthly: 500, maintenanceCostYearly: 1_000 }), 3)
    expect(tco).toMatchObject({ total: 51_000, partial: false })
    expect(tco.explain).toContain('51,000 EUR')
  })

  it('counts a missing part as 0 and says the total is partial; all missing is unknown', () => {
    expect(totalCost(useCase('a', { devCost: 10_000 }), 2)).toMatchObject({ total: 10_000, partial: true })
    expect(totalCost(useCase('a'), 2)).toMatchObject({ total: null, partial: false })
  })
})

describe('the default score: value per cost', () => {
  it('divides severity by the cost in thousands', () => {
    // severity 8 ÷ (40,000 + 12·3·0 + 3·0 = 40 k) = 0.2
    const score = scoreUseCase(useCase('a', { severity: 8, devCost: 40_000, prodCostMonthly: 0, maintenanceCostYearly: 0 }), settings)
    expect(score.value).toBeCloseTo(0.2)
    expect(score.explain).toMatch(/8\^1 ÷ \(40 k\)\^1 = 0\.2/)
  })

  it('lets the weights and the horizon change the result', () => {
    const item = useCase('a', { severity: 4, devCost: 1_000, prodCostMonthly: 1_000 })
    // one year: 1,000 + 12,000 = 13 k → 4 / 13; squared severity: 16 / 13
    expect(scoreUseCase(item, { ...settings, horizonYears: 1 }).value).toBeCloseTo(4 / 13)
    expect(scoreUseCase(item, { ...settings, horizonYears: 1, painWeight: 2 }).value).toBeCloseTo(16 / 13)
    expect(scoreUseCase(item, { ...settings, horizonYears: 1, costWeight: 0 }).value).toBeCloseTo(4)
  })

  it('is unknown without a severity or without any cost', () => {
    expect(scoreUseCase(useCase('a', { devCost: 1_000 }), settings).value).toBeNull()
    expect(scoreUseCase(useCase('a', { severity: 5 }), settings)).toMatchObject({ value: null, explain: expect.stringMatching(/costs unknown/) })
  })
})

describe('which severity counts', () => {
  it('takes the override over the ratings over the estimate', () => {
    const rated = useCase('a', { severity: 3, ratings: summarizeRatings([4, 8]) })
    expect(scoreUseCase(rated, settings)).toMatchObject({ severity: 6, severitySource: 'ratings' })
    expect(scoreUseCase({ ...rated, severityOverride: 9 }, settings)).toMatchObject({ severity: 9, severitySource: 'override' })
    expect(scoreUseCase(useCase('b', { severity: 3 }), settings)).toMatchObject({ severity: 3, severitySource: 'estimate' })
  })

  it('summarises ratings by median and spread', () => {
    expect(summarizeRatings([8, 4])).toEqual({ count: 2, median: 6, min: 4, max: 8, q1: 5, q3: 7 })
    expect(summarizeRatings([1, 2, 3, 4, 10])).toMatchObject({ median: 3, q1: 2, q3: 4, min: 1, max: 10 })
  })
})

describe('RICE and WSJF', () => {
  it('computes RICE = reach × impact × confidence ÷ effort', () => {
    const item = useCase('a', { reach: 500, impact: 2, confidence: 80, effort: 4 })
    expect(scoreUseCase(item, { ...settings, method: 'rice' }).value).toBe(200)
  })

  it('computes WSJF = (value + time criticality + risk reduction) ÷ job size', () => {
    const item = useCase('a', { businessValue: 8, timeCriticality: 5, riskReduction: 3, jobSize: 8 })
    expect(scoreUseCase(item, { ...settings, method: 'wsjf' }).value).toBe(2)
    expect(scoreUseCase(useCase('b'), { ...settings, method: 'wsjf' }).value).toBeNull()
  })
})

describe('the two rankings', () => {
  // severe but expensive, mild but cheap, in between, and one without costs
  const severe = useCase('severe', { severity: 9, devCost: 300_000 }) // 9 / 300 = 0.03
  const cheap = useCase('cheap', { severity: 4, devCost: 5_000 }) // 4 / 5 = 0.8
  const middle = useCase('middle', { severity: 6, devCost: 40_000 }) // 6 / 40 = 0.15
  const unpriced = useCase('unpriced', { severity: 10 })

  it('puts the biggest pain first, and the best value per cost first', () => {
    expect(order([severe, cheap, middle, unpriced], 'pain')).toEqual(['1:unpriced', '2:severe', '3:middle', '4:cheap'])
    expect(order([severe, cheap, middle, unpriced], 'quick-win')).toEqual(['1:cheap', '2:middle', '3:severe', '4:unpriced'])
  })

  it('breaks a severity tie by score, then by lower cost', () => {
    const a = useCase('a', { severity: 7, devCost: 70_000 }) // 0.1
    const b = useCase('b', { severity: 7, devCost: 7_000 }) // 1
    expect(order([a, b], 'pain')).toEqual(['1:b', '2:a'])
  })

  it('gives use cases equal on every key the same rank, listed by title', () => {
    const a = useCase('beta', { severity: 5, devCost: 10_000 })
    const b = useCase('alpha', { severity: 5, devCost: 10_000 })
    const c = useCase('gamma', { severity: 2, devCost: 10_000 })
    expect(order([a, b, c], 'quick-win')).toEqual(['1:alpha', '1:beta', '3:gamma'])
    expect(order([a, b, c], 'pain')).toEqual(['1:alpha', '1:beta', '3:gamma'])
  })

  it('ranks unknown severity and unknown cost last in both', () => {
    const nothing = useCase('nothing')
    expect(order([nothing, cheap], 'pain')).toEqual(['1:cheap', '2:nothing'])
    expect(order([nothing, cheap], 'quick-win')).toEqual(['1:cheap', '2:nothing'])
  })

  it('follows the board method: by RICE, a use case with no RICE inputs falls to the end', () => {
    const rice = { ...settings, method: 'rice' as const }
    const big = useCase('big', { reach: 1000, impact: 3, confidence: 100, effort: 10 }) // 300
    const small = useCase('small', { reach: 100, impact: 1, confidence: 50, effort: 1 }) // 50
    expect(order([small, big, useCase('none')], 'quick-win', rice)).toEqual(['1:big', '2:small', '3:none'])
  })
})
