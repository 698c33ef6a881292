import { describe, expect, it } from 'vitest'
import type { CurvePoint } from '../contract'
import { appendPoint, maxCurvePoints } from './curve'

describe("a step's live chart", () => {
  it('keeps finite values only and ignores a point without a step', () => {
    const curve: CurvePoint[] = []
    appendPoint(curve, { step: 1, train_loss: 0.5, val_loss: Number.NaN, val_accuracy: Number.POSITIVE_INFINITY })
    appendPoint(curve, { step: Number.NaN, train_loss: 0.4 })
    expect(curve).toEqual([{ step: 1, train_loss: 0.5 }])
  })

  it('stays bounded on a long run, keeping its first half-resolution points and the latest', () => {
    const curve: CurvePoint[] = []
    for (let step = 1; step <= 10_000; step++) appendPoint(curve, { step, loss: 1 / step })
    expect(curve.length).toBeLessThanOrEqual(maxCurvePoints)
    expect(curve.at(-1)).toEqual({ step: 10_000, loss: 1 / 10_000 })
    expect(curve[0]!.step).toBeLessThan(100)
    const steps = curve.map((p) => p.step)
    expect(steps).toEqual([...steps].sort((a, b) => a - b))
  })
})
