import { describe, expect, it } from 'vitest'
import { checkAgainstChampion, checkGates } from './gates'

describe('quality gates', () => {
  it('passes and fails on the bounds, naming the gate and the value', () => {
    const results = checkGates([{ metric: 'f1_macro', min: 0.9 }, { metric: 'rmse', max: 3 }, { metric: 'r2', min: 0.5, max: 1 }], { f1_macro: 0.85, rmse: 3, r2: 0.75 })
    expect(results.map((r) => r.passed)).toEqual([false, true, true])
    expect(results[0]!.message).toBe('f1_macro ≥ 0.9: f1_macro is 0.85, so the gate fails')
    expect(results[2]!.gate).toBe('0.5 ≤ r2 ≤ 1')
  })

  it('fails a gate on a metric the evaluation does not have, listing those it has', () => {
    const [result] = checkGates([{ metric: 'f1', min: 0.9 }], { accuracy: 0.9, roc_auc: null, f1_macro: 0.8 })
    expect(result).toMatchObject({ passed: false, value: null, message: 'f1 ≥ 0.9: this evaluation has no f1; it has accuracy, f1_macro' })
  })

  it('compares with the champion: higher is better for scores, lower for errors', () => {
    expect(checkAgainstChampion('accuracy', 0.01, 0.905, 0.91, 'champion (v3)').passed).toBe(true)
    const worse = checkAgainstChampion('accuracy', 0.01, 0.89, 0.91, 'champion (v3)')
    expect(worse.passed).toBe(false)
    expect(worse.message).toBe('accuracy not worse than champion (v3) by more than 0.01: 0.89 against 0.91, worse by 0.02, so the gate fails')
    expect(checkAgainstChampion('rmse', 0, 2.5, 3, 'champion').message).toContain('better by 0.5')
    expect(checkAgainstChampion('rmse', 0, 3.5, 3, 'champion').passed).toBe(false)
  })
})
