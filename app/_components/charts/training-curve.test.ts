import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { TrainingCurve } from './training-curve'

describe('the training curve', () => {
  it('draws losses and the validation metric on charts of their own, with the latest values written out', () => {
    const curve = [
      { step: 1, train_loss: 0.9, val_loss: 1.0, val_accuracy: 0.5 },
      { step: 2, train_loss: 0.6, val_loss: 0.7, val_accuracy: 0.75 },
      { step: 3, train_loss: 0.4, val_loss: 0.55, val_accuracy: 0.875 },
    ]
    const html = renderToStaticMarkup(createElement(TrainingCurve, { curve }))
    expect(html).toContain('data-points="3"')
    expect(html).toContain('aria-label="train loss, val loss by epoch"')
    expect(html).toContain('aria-label="val accuracy by epoch"')
    expect(html.match(/data-series=/g)).toHaveLength(3)
    expect(html).toContain('epoch 3 · train loss 0.4 · val loss 0.55 · val accuracy 0.875')
  })

  it('draws nothing without points, and one line for a curve with losses only', () => {
    expect(renderToStaticMarkup(createElement(TrainingCurve, { curve: [] }))).toBe('')
    const html = renderToStaticMarkup(createElement(TrainingCurve, { curve: [{ step: 1, train_loss: 1 }, { step: 2, train_loss: 0.5 }] }))
    expect(html.match(/data-series=/g)).toHaveLength(1)
    expect(html).not.toContain('training-curve-metric')
  })
})
