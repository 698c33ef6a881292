import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { ModelSummary } from './model-summary'

describe('the model summary of a step output', () => {
  it('shows task, classes, metrics and the signature with dynamic dimensions by name', () => {
    const html = renderToStaticMarkup(
      createElement(ModelSummary, {
        metadata: {
          task: 'classification',
          label: 'species',
          labels: ['Adelie', 'Gentoo'],
          algorithm: 'logistic-regression',
          features: [{ name: 'bill [mm]', kind: 'number' }],
          inputs: [{ name: 'bill [mm]', type: 'float32', shape: ['N', 1] }],
          outputs: [
            { name: 'label', type: 'string', shape: ['N'] },
            { name: 'probabilities', type: 'float32', shape: ['N', 2] },
          ],
          metrics: { val_accuracy: 0.95652, best_epoch: 28 },
        },
      }),
    )
    expect(html).toContain('classification of <span class="font-mono">species</span> · logistic-regression')
    expect(html).toContain('Adelie, Gentoo')
    expect(html).toContain('val accuracy 0.9565 · best epoch 28')
    expect(html).toContain('[N, 2]')
    expect(html).toContain('bill [mm]')
  })
})
