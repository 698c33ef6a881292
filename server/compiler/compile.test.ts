import { describe, expect, it } from 'vitest'
import { compile } from './compile'
import { fakeRegistry, fakeTrain } from '@/test/harness/fake-nodes'

/** The example from ARCHITECTURE.md, against the real node registry. */
const example: { apiVersion: string; name: string; nodes: { id: string; kind: string; config: unknown }[]; edges: { from: string; to: string }[] } = {
  apiVersion: 'pipewright/v1',
  name: 'penguin-species',
  nodes: [
    { id: 'load', kind: 'ingest', config: { source: { type: 'url', url: 'https://example.org/p.csv' } } },
    { id: 'check', kind: 'validate', config: { rules: [{ column: 'bill_length_mm', rule: 'between', min: 20, max: 80 }] } },
  ],
  edges: [{ from: 'load.dataset', to: 'check.dataset' }],
}

describe('compile with the real registry', () => {
  it('compiles the documented example, filling in config defaults', () => {
    const result = compile(example)
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'))
    expect(result.plan.name).toBe('penguin-species')
    expect(result.plan.steps.map((s) => [s.nodeId, s.kind, s.dependsOn])).toEqual([
      ['load', 'ingest', []],
      ['check', 'validate', ['load']],
    ])
    const [load, check] = result.plan.steps
    expect(load!.config).toMatchObject({ source: { type: 'url', url: 'https://example.org/p.csv' }, badRows: 'fail' })
    expect(check!.config).toMatchObject({ mode: 'quarantine', rules: [{ column: 'bill_length_mm', rule: 'between', min: 20, max: 80 }] })
    expect(check!.inputs).toEqual({ dataset: { nodeId: 'load', port: 'dataset' } })
    expect(check!.outputs).toEqual({ clean: 'dataset', quarantine: 'dataset', report: 'report' })
  })

  it('explains the real nodes’ config errors in their own words', () => {
    const file = structuredClone(example)
    file.nodes[0]!.config = { source: { type: 'url', url: 'ftp://example.org/p.csv' } }
    file.nodes[1]!.config = { rules: [{ column: 'bill_length_mm', rule: 'between' }] }
    const result = compile(file)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.map((e) => [e.nodeId, e.field, e.message])).toEqual([
      ['load', 'source.url', 'node "load": config field "source.url" must be an http:// or https:// address (got "ftp://example.org/p.csv")'],
      ['check', 'rules.0.min', 'node "check": config field "rules.0.min": give min, max or both'],
    ])
  })

  it('names a misspelt config field instead of silently dropping it', () => {
    const file = structuredClone(example)
    file.nodes[1]!.config = { rules: [{ column: 'bill_length_mm', rule: 'zscore', threshhold: 2 }] }
    const result = compile(file)
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.nodeId, e.path.join('.')])).toEqual([
      ['invalid_config', 'check', 'nodes.1.config.rules.0.threshhold'],
    ])
  })

  it('refuses an edge between the real ports that does not type-check', () => {
    const file = structuredClone(example)
    file.nodes.push({ id: 'check2', kind: 'validate', config: { rules: [] } })
    file.edges.push({ from: 'check.report', to: 'check2.dataset' })
    const result = compile(file)
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      'edge 1 "check.report" → "check2.dataset" connects a report to a dataset input',
    ])
  })

  it('takes another lookup instead of the registry', () => {
    const findNode = fakeRegistry([fakeTrain])
    const result = compile(example, { findNode })
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(['unknown_kind', 'unknown_kind'])
  })
})

/** ingest → validate → validate → …: `length` nodes in one line, as a large canvas might hold. */
function chainPipeline(length: number) {
  const nodes = [
    { id: 'load', kind: 'ingest', config: { source: { type: 'url', url: 'https://example.org/p.csv' } } as Record<string, unknown> },
    ...Array.from({ length: length - 1 }, (_, i) => ({
      id: `check-${i + 1}`,
      kind: 'validate',
      config: { rules: [{ column: 'bill_length_mm', rule: 'between', min: 20, max: 80 + i }] } as Record<string, unknown>,
    })),
  ]
  const edges = nodes.slice(1).map((node, i) => ({ from: `${nodes[i]!.id}.${i === 0 ? 'dataset' : 'clean'}`, to: `${node.id}.dataset` }))
  return { apiVersion: 'pipewright/v1', name: 'long-chain', nodes, edges }
}

describe('a large pipeline', () => {
  it('compiles a 1,000-node chain into 1,000 steps in file order', () => {
    const result = compile(chainPipeline(1000))
    if (!result.ok) throw new Error(result.errors.slice(0, 3).map((e) => e.message).join('\n'))
    expect(result.plan.steps).toHaveLength(1000)
    expect(result.plan.steps[0]!.nodeId).toBe('load')
    expect(result.plan.steps[999]!.dependsOn).toEqual(['check-998'])
  })

  it('refuses more than 2,000 nodes, naming the limit', () => {
    const result = compile(chainPipeline(2001))
    const tooMany = result.ok ? undefined : result.errors.find((e) => e.path.join('.') === 'nodes')
    expect(tooMany).toMatchObject({ code: 'invalid_file', message: expect.stringContaining('2000') })
  })
})
