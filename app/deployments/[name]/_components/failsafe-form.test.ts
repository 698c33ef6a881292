import { describe, expect, it } from 'vitest'
import { failsafeSchema } from '@/server/serving/failsafe/schema'
import { failsafeOf, fieldsOf } from './failsafe-form'
import { historyWords } from './history-words'

describe('the fail-safe editor', () => {
  it('gives back what it was given, for each kind of answer', () => {
    const configs = [
      { minConfidence: 0.6, onModelError: true, action: { type: 'label', label: 'Adelie' } },
      { outOfRange: { tolerance: 0.1, unknownCategories: false }, onModelError: false, action: { type: 'value', value: 3.5 } },
      { onModelError: true, action: { type: 'refuse', message: 'A person decides.' } },
      { minConfidence: 0.5, onModelError: true, action: { type: 'rules', rules: [{ when: { feature: 'x', op: '>', value: 1 }, answer: { label: 'a' } }], otherwise: { needsHuman: true } } },
    ]
    for (const config of configs) {
      const out = failsafeOf(fieldsOf(config))
      expect(out).toEqual({ failsafe: config })
      expect(failsafeSchema.safeParse((out as { failsafe: unknown }).failsafe).success).toBe(true)
    }
  })

  it('sends null when switched off, and says what is wrong with JSON it cannot read', () => {
    expect(failsafeOf({ ...fieldsOf(null), enabled: false })).toEqual({ failsafe: null })
    const broken = failsafeOf({ ...fieldsOf(null), enabled: true, action: 'rules', rulesJson: '{ rules: [' })
    expect('error' in broken && broken.error).toMatch(/^The rules are not valid JSON: /)
  })

  it('passes a number field that is no number on as text, so the server names the field', () => {
    const out = failsafeOf({ ...fieldsOf(null), enabled: true, minConfidence: 'high' }) as { failsafe: Record<string, unknown> }
    expect(out.failsafe.minConfidence).toBe('high')
    expect(failsafeSchema.safeParse(out.failsafe).error?.issues[0]?.path).toEqual(['minConfidence'])
  })
})

describe('the rollout history in words', () => {
  it('names versions, strategies and shares', () => {
    expect(historyWords('rollout', { version: 2, strategy: 'canary', weight: 25, stable: 1 })).toBe('rolled out v2 as a 25% canary beside v1')
    expect(historyWords('rollback', { withdrawn: 2, strategy: 'canary', version: 1 })).toBe('rolled back: withdrew the canary v2, v1 answers everything')
    expect(historyWords('rollback', { version: 1, from: 2 })).toBe('rolled back to v1 (from v2)')
    expect(historyWords('promote', { version: 2, from: 1 })).toBe('promoted v2 (was v1)')
    expect(historyWords('update', { public: true, logSample: 0.25 })).toBe('settings: made public, logs 25% of requests')
  })
})
