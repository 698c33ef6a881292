import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { ConfigForm } from './config-form'
import { visibleFieldPaths } from './config-values'
import { configSpec } from './field-spec'
import { isFieldShown, withoutHiddenValues } from './shown-when'

const spec = configSpec('deploy')!
const field = (name: string) => spec.fields.find((f) => f.name === name)!
const labels = (config: Record<string, unknown>) =>
  [...renderToString(createElement(ConfigForm, { kind: 'deploy', value: config, columns: null, onChange: () => {} })).matchAll(/<label[^>]*>(.*?)<\/label>/g)].map((m) =>
    m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(),
  )

describe('fields shown only beside certain values (a canary weight, an approval timeout)', () => {
  it('shows the weight for a canary only, and the approval timeout only with approval', () => {
    const single = { deployment: 'api', strategy: 'single', approval: false, approvalTimeoutHours: 72 }
    expect(isFieldShown(field('weight'), spec, single)).toBe(false)
    expect(isFieldShown(field('weight'), spec, { deployment: 'api' })).toBe(false) // strategy's default is single
    expect(isFieldShown(field('weight'), spec, { ...single, strategy: 'canary' })).toBe(true)
    expect(isFieldShown(field('approvalTimeoutHours'), spec, single)).toBe(false)
    expect(isFieldShown(field('approvalTimeoutHours'), spec, { ...single, approval: true })).toBe(true)
    for (const strategy of ['single', 'shadow', 'blue-green']) expect(labels({ ...single, strategy }).join(' | ')).not.toMatch(/Weight/)
    expect(labels({ ...single, strategy: 'canary' }).join(' | ')).toMatch(/Weight/)
    expect(labels(single).join(' | ')).not.toMatch(/Approval timeout/)
    expect(labels({ ...single, approval: true }).join(' | ')).toMatch(/Approval timeout \(hours\)/)
  })

  it('keeps a refused weight in sight (a file written by hand), so its problem can be read and fixed', () => {
    const config = { deployment: 'api', strategy: 'shadow', weight: 10 }
    expect(isFieldShown(field('weight'), spec, config)).toBe(true)
    expect(visibleFieldPaths(spec, config).has('weight')).toBe(true)
    expect(visibleFieldPaths(spec, { deployment: 'api', strategy: 'shadow' }).has('weight')).toBe(false)
    // a default value left behind is not worth showing: the approval timeout of a new node
    expect(visibleFieldPaths(spec, { deployment: 'api', approvalTimeoutHours: 72 }).has('approvalTimeoutHours')).toBe(false)
  })

  it('drops what a change hides, and nothing else', () => {
    const canary = { deployment: 'api', strategy: 'single', weight: 25, approval: true, approvalTimeoutHours: 4 }
    expect(withoutHiddenValues(spec, canary, ['strategy'])).toEqual({ deployment: 'api', strategy: 'single', approval: true, approvalTimeoutHours: 4 })
    expect(withoutHiddenValues(spec, { ...canary, strategy: 'canary', approval: false }, ['approval'])).toEqual({ deployment: 'api', strategy: 'canary', weight: 25, approval: false })
    const renamed = { ...canary, strategy: 'canary' }
    expect(withoutHiddenValues(spec, renamed, ['deployment'])).toBe(renamed)
  })
})
