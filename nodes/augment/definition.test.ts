import { describe, expect, it } from 'vitest'
import { configIssues, configRoot, defaultConfig } from '@/app/pipelines/[pipelineId]/_config-form/field-spec'
import { augment } from './definition'

describe('augment config form', () => {
  it('offers the two modes as variants of one union, each with its own fields', () => {
    const root = configRoot(augment.kind)
    expect(root?.type).toBe('union')
    if (root?.type !== 'union') return
    expect(root.discriminator).toBe('mode')
    expect(root.variants.map((v) => [v.value, v.label])).toEqual([
      ['tabular', 'Table (SMOTE, oversampling)'],
      ['images', 'Images (flips, rotations, crops, defects)'],
    ])
    const [tabular, images] = root.variants
    expect(tabular!.spec.fields.map((f) => f.name)).toEqual(['labelColumn', 'classes', 'ratio', 'method', 'features', 'k', 'noise', 'seed'])
    expect(tabular!.spec.fields.find((f) => f.name === 'labelColumn')!.spec).toEqual({ type: 'column' })
    expect(images!.spec.fields.find((f) => f.name === 'ops')!.spec.type).toBe('objectList')
  })

  it('starts a new node in tabular mode and says what is missing', () => {
    const config = defaultConfig(augment.kind)
    expect(config).toMatchObject({ mode: 'tabular', ratio: 1, method: 'smote', k: 5, seed: 0 })
    expect(configIssues(augment.kind, config).map((i) => i.path)).toEqual(['labelColumn', 'classes'])
  })
})
