import { describe, expect, it } from 'vitest'
import { formatDelta, formatShape, headlineMetric, headlineMetrics, improved, orderMetricNames } from './metrics'

describe('how the registry pages read metrics', () => {
  it('heads a row with the quality metric, never with a count like epochs', () => {
    const trained = { epochs: 60, best_epoch: 41, train_loss: 0.21, val_loss: 0.25, val_accuracy: 0.9565 }
    expect(headlineMetric(trained)).toEqual({ name: 'val_accuracy', value: 0.9565 })
    expect(headlineMetrics(trained)).toEqual([
      { name: 'val_accuracy', value: 0.9565 },
      { name: 'val_loss', value: 0.25 },
    ])
    expect(orderMetricNames(Object.keys(trained))).toEqual(['val_accuracy', 'val_loss', 'train_loss', 'best_epoch', 'epochs'])
    expect(headlineMetric({ epochs: 3 })).toBeNull()
    expect(headlineMetric({})).toBeNull()
    expect(headlineMetric({ epochs: 5, custom_score: 2 })).toEqual({ name: 'custom_score', value: 2 })
  })

  it('calls a lower loss and a higher accuracy better, and judges no count', () => {
    expect(improved('val_loss', -0.1)).toBe(true)
    expect(improved('val_rmse', 3)).toBe(false)
    expect(improved('val_accuracy', 0.02)).toBe(true)
    expect(improved('val_r2', -0.5)).toBe(false)
    expect(improved('epochs', 10)).toBeNull()
    expect(improved('val_accuracy', 0)).toBeNull()
  })

  it('writes differences with their sign and shapes with dynamic dimensions by name', () => {
    expect(formatDelta(0.123456)).toBe('+0.1235')
    expect(formatDelta(-3)).toBe('−3')
    expect(formatDelta(0)).toBe('0')
    expect(formatShape(['batch', 1])).toBe('batch × 1')
    expect(formatShape(['N', 224, 224, 3])).toBe('N × 224 × 224 × 3')
    expect(formatShape([])).toBe('scalar')
  })
})
