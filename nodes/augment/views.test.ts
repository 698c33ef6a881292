import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { AugmentReport } from './definition'
import { augmentViews } from './views'

const report: AugmentReport = {
  mode: 'tabular',
  rowsIn: 90,
  rowsAdded: 30,
  rowsOut: 120,
  classes: [
    { label: 'adelie', before: 60, added: 0, after: 60 },
    { label: 'chinstrap', before: 10, added: 30, after: 40, target: 40, skippedSeeds: 2 },
  ],
  ops: { smote: 30 },
  notes: ['2 rows of class "chinstrap" had a missing or non-finite feature and were not used as SMOTE seeds or neighbours.'],
}

describe('augment report view', () => {
  it('shows rows added per class, the operations and the notes', () => {
    const Report = augmentViews.Report!
    const html = renderToStaticMarkup(createElement(Report, { port: 'report', report }))
    expect(html).toContain('30 rows added to 90')
    expect(html).toMatch(/chinstrap<\/td>.*?10<\/td>.*?\+30<\/td>.*?40<\/td>/)
    expect(html).toContain('smote</span> × 30')
    expect(html).toContain('not used as SMOTE seeds')
  })

  it('says so when the JSON is not an augment report', () => {
    const html = renderToStaticMarkup(createElement(augmentViews.Report!, { port: 'report', report: { nope: 1 } }))
    expect(html).toContain('not an augment report')
  })
})
