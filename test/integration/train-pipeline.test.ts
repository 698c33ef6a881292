import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listModelVersions } from '@/server/models/registry'
import { embeddedBackend, type Backend } from '../harness/backends'
import { runToEnd } from '../harness/run-pipeline'

/** The penguins sample, cleaned as the seeded sample cleans it, split, and a model trained on the split. */
function pipeline(name: string, trainer: Record<string, unknown>, withValidation = true) {
  return {
    apiVersion: 'pipewright/v1',
    name,
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } },
      {
        id: 'check',
        kind: 'validate',
        config: {
          rules: [
            { column: 'species', rule: 'in_set', values: ['Adelie', 'Chinstrap', 'Gentoo'] },
            { column: 'flipper_length_mm', rule: 'between', min: 150, max: 250 },
            { column: 'body_mass_g', rule: 'not_null' },
          ],
        },
      },
      { id: 'split', kind: 'split', config: { stratifyBy: 'species', seed: 1 } },
      { id: 'train', kind: 'train-handoff', config: { trainer: { type: 'builtin', ...trainer }, registerAs: name } },
    ],
    edges: [
      { from: 'load.dataset', to: 'check.dataset' },
      { from: 'check.clean', to: 'split.dataset' },
      { from: 'split.train', to: 'train.train' },
      ...(withValidation ? [{ from: 'split.validation', to: 'train.validation' }] : []),
    ],
  }
}

describe('training in a pipeline run', () => {
  let backend: Backend
  beforeAll(async () => {
    backend = await embeddedBackend()
  })
  afterAll(async () => {
    await backend?.close()
  })

  it('trains a regressor without a validation input, and each run of a changed pipeline adds a version', async () => {
    const first = await runToEnd(backend.services, pipeline('penguin-mass', { algorithm: 'mlp', label: 'body_mass_g', epochs: 5 }, false))
    expect(first.status, first.steps.map((s) => s.error).join(' ')).toBe('succeeded')
    const second = await runToEnd(backend.services, pipeline('penguin-mass', { algorithm: 'ridge', label: 'body_mass_g' }, false))
    expect(second.status).toBe('succeeded')
    const { versions } = await listModelVersions(backend.services.db, 'penguin-mass')
    expect(versions.map((v) => [v.version, v.algorithm, v.task])).toEqual([
      [2, 'ridge', 'regression'],
      [1, 'mlp', 'regression'],
    ])
  })

  it('fails the step, naming the columns, when the label is not in the data', async () => {
    const run = await runToEnd(backend.services, pipeline('no-such-label', { algorithm: 'mlp', label: 'beak' }))
    expect(run.status).toBe('failed')
    expect(run.steps.find((s) => s.nodeId === 'train')!.error).toMatch(/^The label column "beak" is not in the training data; it has "species", "island"/)
  })
})
