import { describe, expect, it } from 'vitest'
import { liftedStatus, ratingInput, useCaseFields, useCasePatch } from './model'

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`)

describe('use case fields', () => {
  it('needs only a title and fills the rest with defaults', () => {
    const parsed = useCaseFields.parse({ title: '  Predictive maintenance ' })
    expect(parsed).toMatchObject({ title: 'Predictive maintenance', status: 'idea', currency: 'EUR', dataAvailability: 'none', severity: null, confidence: 50 })
  })

  it('refuses severity 0 and 11, naming the field', () => {
    expect(issues(useCaseFields.safeParse({ title: 'x', severity: 0 }))).toEqual(['severity: must be between 1 and 10'])
    expect(issues(useCaseFields.safeParse({ title: 'x', severity: 11 }))).toEqual(['severity: must be between 1 and 10'])
    expect(issues(ratingInput.safeParse({ severity: 7.5 }))).toEqual(['severity: must be a whole number'])
  })

  it('refuses negative costs, an unknown currency and an unknown field', () => {
    expect(issues(useCaseFields.safeParse({ title: 'x', devCost: -1 }))).toEqual(['devCost: must be 0 or more'])
    expect(issues(useCaseFields.safeParse({ title: 'x', currency: 'XYZ' }))[0]).toMatch(/^currency: must be one of EUR, USD/)
    expect(issues(useCaseFields.safeParse({ title: 'x', sevrity: 3 }))[0]).toMatch(/sevrity/)
  })

  it('checks RICE impact and the WSJF Fibonacci scale', () => {
    expect(issues(useCaseFields.safeParse({ title: 'x', impact: 4 }))).toEqual(['impact: must be one of 3, 2, 1, 0.5, 0.25'])
    expect(issues(useCaseFields.safeParse({ title: 'x', jobSize: 4 }))).toEqual(['jobSize: must be one of 1, 2, 3, 5, 8, 13, 20'])
    expect(useCaseFields.safeParse({ title: 'x', impact: 0.5, jobSize: 13 }).success).toBe(true)
  })

  it('patches any subset, and a patch may clear a value with null', () => {
    expect(useCasePatch.parse({ devCost: null })).toEqual({ devCost: null })
    expect(issues(useCasePatch.safeParse({ title: '' }))).toEqual(['title: must not be empty'])
  })
})

describe('the status a use case shows', () => {
  it('moves to deployed once a linked pipeline has a deployment, and keeps the later stages', () => {
    expect(['idea', 'data', 'model'].map((s) => liftedStatus(s as 'idea', true))).toEqual(['deployed', 'deployed', 'deployed'])
    expect(['deployed', 'monitored', 'retired'].map((s) => liftedStatus(s as 'idea', true))).toEqual(['deployed', 'monitored', 'retired'])
    expect(liftedStatus('model', false)).toBe('model')
  })
})
