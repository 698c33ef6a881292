import { describe, expect, it } from 'vitest'
import { compilePipeline } from './core'
import { findFakeNode } from '@/test/harness/fake-nodes'
import type { CompileResult, JobPlan } from './types'

const compile = (input: unknown) => compilePipeline(input, findFakeNode)

function planOf(result: CompileResult): JobPlan {
  if (!result.ok) throw new Error(`expected a plan, got: ${result.errors.map((e) => e.message).join('; ')}`)
  return result.plan
}

const file = (nodes: unknown[], edges: unknown[]) => ({ apiVersion: 'pipewright/v1', name: 'plan-test', nodes, edges })

describe('the job plan', () => {
  const penguins = file(
    // listed downstream-first on purpose: the plan still starts at the source
    [
      { id: 'ship', kind: 'deploy' },
      { id: 'fit', kind: 'train', config: { target: 'species' } },
      { id: 'check', kind: 'validate', config: { rules: [{ column: 'bill_length_mm', rule: 'between', min: 20, max: 80 }] } },
      { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } },
    ],
    [
      { from: 'fit.model', to: 'ship.model' },
      { from: 'check.clean', to: 'fit.train' },
      { from: 'check.clean', to: 'fit.test' },
      { from: 'load.dataset', to: 'check.dataset' },
    ],
  )

  it('holds every step in dependency order, with configs parsed and defaults filled in', () => {
    expect(planOf(compile(penguins))).toEqual({
      name: 'plan-test',
      steps: [
        {
          nodeId: 'load',
          kind: 'ingest',
          nodeVersion: 2,
          config: { source: { type: 'sample', name: 'penguins' }, format: 'csv' },
          inputs: {},
          dependsOn: [],
          outputs: { dataset: 'dataset' },
          retry: { attempts: 3, backoffMs: 1000 },
        },
        {
          nodeId: 'check',
          kind: 'validate',
          nodeVersion: 1,
          config: { mode: 'quarantine', rules: [{ column: 'bill_length_mm', rule: 'between', min: 20, max: 80 }] },
          inputs: { dataset: { nodeId: 'load', port: 'dataset' } },
          dependsOn: ['load'],
          outputs: { clean: 'dataset', quarantine: 'dataset', report: 'report' },
          retry: { attempts: 1, backoffMs: 0 },
        },
        {
          nodeId: 'fit',
          kind: 'train',
          nodeVersion: 1,
          config: { target: 'species', epochs: 10, holdout: 0.2 },
          // one output fans out to two inputs; the step depends on it once
          inputs: { train: { nodeId: 'check', port: 'clean' }, test: { nodeId: 'check', port: 'clean' } },
          dependsOn: ['check'],
          outputs: { model: 'model', metrics: 'report' },
          retry: { attempts: 3, backoffMs: 1000 },
        },
        {
          nodeId: 'ship',
          kind: 'deploy',
          nodeVersion: 1,
          config: {},
          inputs: { model: { nodeId: 'fit', port: 'model' } },
          dependsOn: ['fit'],
          outputs: { deployment: 'deployment' },
          retry: { attempts: 3, backoffMs: 1000 },
        },
      ],
    })
  })

  it('breaks ties by file order: of the steps ready to go, the one listed first goes first', () => {
    const twoChains = file(
      [
        { id: 'check1', kind: 'validate' },
        { id: 'load2', kind: 'ingest', config: { source: { type: 'sample', name: 'b' } } },
        { id: 'load1', kind: 'ingest', config: { source: { type: 'sample', name: 'a' } } },
        { id: 'check2', kind: 'validate' },
      ],
      [
        { from: 'load1.dataset', to: 'check1.dataset' },
        { from: 'load2.dataset', to: 'check2.dataset' },
      ],
    )
    expect(planOf(compile(twoChains)).steps.map((s) => s.nodeId)).toEqual(['load2', 'load1', 'check1', 'check2'])
  })

  it('does not share objects with the definitions or the input', () => {
    const plan = planOf(compile(penguins))
    plan.steps[0]!.outputs.dataset = 'model'
    plan.steps[0]!.retry.attempts = 99
    expect(planOf(compile(penguins)).steps[0]).toMatchObject({ outputs: { dataset: 'dataset' }, retry: { attempts: 3 } })
  })

  it('accepts a file without edges and without configs', () => {
    const plan = planOf(compile({ apiVersion: 'pipewright/v1', name: 'empty', nodes: [] }))
    expect(plan).toEqual({ name: 'empty', steps: [] })
  })

  it('ignores the ui key', () => {
    const withUi = { ...penguins, ui: { positions: { load: { x: 1, y: 2 } } } }
    expect(compile(withUi)).toEqual(compile(penguins))
  })

  it('leaves an optional input out of the step when nothing is connected to it, and wires it when something is', () => {
    const fit = (result: CompileResult) => planOf(result).steps.find((s) => s.nodeId === 'fit')!
    expect(fit(compile(penguins)).inputs).toEqual({ train: { nodeId: 'check', port: 'clean' }, test: { nodeId: 'check', port: 'clean' } })
    const withValidation = { ...penguins, edges: [...penguins.edges, { from: 'check.quarantine', to: 'fit.validation' }] }
    expect(fit(compile(withValidation)).inputs.validation).toEqual({ nodeId: 'check', port: 'quarantine' })
  })
})
