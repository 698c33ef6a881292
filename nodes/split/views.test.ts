import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { viewsFor } from '../views'
import type { SplitReport } from './definition'

const Report = viewsFor('split')?.Report

const render = (report: unknown) => renderToString(createElement(Report!, { port: 'report', report }))
/** the page's text without tags, comments and React's separators */
const text = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

const stratified: SplitReport = {
  method: 'stratified',
  seed: 42,
  ratios: { train: 0.7, validation: 0.15, test: 0.15 },
  totalRows: 1000,
  sides: { train: { rows: 700, share: 0.7 }, validation: { rows: 150, share: 0.15 }, test: { rows: 150, share: 0.15 } },
  labels: {
    column: 'species [a]',
    distinct: 2,
    truncated: false,
    counts: [
      { value: 'Adelie', train: 630, validation: 135, test: 135 },
      { value: null, train: 70, validation: 15, test: 15 },
    ],
  },
  groups: null,
  time: null,
}

describe('the split report view', () => {
  it('is registered for the split kind', () => {
    expect(Report).toBeDefined()
  })

  it('shows each side with its rows and share, and the labels per side', () => {
    const html = render(stratified)
    expect(text(html)).toContain('Stratified by species [a] · 1,000 rows')
    expect(text(html)).toContain('train 700 rows 70.0% (asked 70%)')
    expect(text(html)).toContain('validation 150 rows 15.0% (asked 15%)')
    expect(html).toContain('width:70%')
    expect(text(html)).toContain('Adelie 630 70% 135 15% 135 15% 900')
    expect(text(html)).toContain('no label 70 70% 15 15% 15 15% 100')
  })

  it('shows groups per side, and a time split\'s ranges and rows without a time', () => {
    const grouped = render({ ...stratified, method: 'grouped', labels: null, groups: { column: 'patient', train: 7, validation: 2, test: 1 } })
    expect(text(grouped)).toContain('Grouped by patient')
    expect(text(grouped)).toContain('2 groups')
    expect(text(grouped)).toContain('1 group')
    const range = (from: string, to: string) => ({ from, to })
    const timed = render({
      ...stratified,
      method: 'time',
      labels: null,
      time: { column: 'at', nullRows: 3, ranges: { train: range('2024-01-01', '2024-02-01'), validation: null, test: range('2024-03-01', '2024-03-09') } },
    })
    expect(text(timed)).toContain('3 rows without a time went to train')
    expect(text(timed)).toContain('2024-03-01 → 2024-03-09')
  })

  it('says so when the report is not a split report', () => {
    expect(text(render({ something: 'else' }))).toContain('It is not a split report')
  })
})
