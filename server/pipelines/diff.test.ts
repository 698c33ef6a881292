import { describe, expect, it } from 'vitest'
import type { PipelineFile } from '@/server/compiler/pipeline-file'
import { diffPipelines } from './diff'

const base: PipelineFile = {
  apiVersion: 'pipewright/v1',
  name: 'penguin-species',
  nodes: [
    { id: 'load', kind: 'ingest', config: { source: { type: 'url', url: 'https://example.org/p.csv' } } },
    {
      id: 'check',
      kind: 'validate',
      config: {
        mode: 'quarantine',
        rules: [
          { column: 'bill_length_mm', rule: 'between', min: 20, max: 80 },
          { column: 'species', rule: 'not_null' },
        ],
      },
    },
  ],
  edges: [{ from: 'load.dataset', to: 'check.dataset' }],
  ui: {
    positions: { load: { x: 0, y: 0 }, check: { x: 300, y: 0 } },
    notes: [{ id: 'n1', text: 'hello', position: { x: 0, y: 200 } }],
  },
}

/** A copy of `base` with `edit` applied. */
function edited(edit: (file: PipelineFile) => void): PipelineFile {
  const file = structuredClone(base)
  edit(file)
  return file
}

const checkConfig = (file: PipelineFile) => file.nodes[1]!.config as { mode?: string; rules: Record<string, unknown>[] }

const nothing = {
  nodes: { added: [], removed: [], changed: [], moved: [] },
  edges: { added: [], removed: [] },
  notesChanged: false,
  groupsChanged: false,
}

describe('diffPipelines', () => {
  it('finds nothing between identical files, whatever their key order', () => {
    const reordered = edited((file) => {
      file.nodes[1]!.config = { rules: checkConfig(file).rules.map((rule) => Object.fromEntries(Object.entries(rule).reverse())), mode: 'quarantine' }
    })
    expect(diffPipelines(base, structuredClone(base))).toEqual({ ...nothing, unchanged: true })
    expect(diffPipelines(base, reordered).unchanged).toBe(true)
  })

  it('lists added and removed nodes by id', () => {
    const after = edited((file) => {
      file.nodes.splice(1, 1)
      file.nodes.push({ id: 'train', kind: 'train', config: {} })
      file.edges = [{ from: 'load.dataset', to: 'train.dataset' }]
    })
    const diff = diffPipelines(base, after)
    expect(diff.nodes).toEqual({ added: ['train'], removed: ['check'], changed: [], moved: [] })
    expect(diff.edges).toEqual({ added: ['load.dataset->train.dataset'], removed: ['load.dataset->check.dataset'] })
    expect(diff.unchanged).toBe(false)
  })

  it('shows a rewired edge as one removed and one added', () => {
    const after = edited((file) => {
      file.nodes.push({ id: 'check2', kind: 'validate', config: { rules: [] } })
      file.edges = [
        { from: 'load.dataset', to: 'check2.dataset' },
        { from: 'check2.clean', to: 'check.dataset' },
      ]
    })
    expect(diffPipelines(base, after).edges).toEqual({
      added: ['load.dataset->check2.dataset', 'check2.clean->check.dataset'],
      removed: ['load.dataset->check.dataset'],
    })
  })

  it('names a changed, added and removed config field, nested inside a rule', () => {
    const after = edited((file) => {
      const config = checkConfig(file)
      delete config.mode
      config.rules[0]!.max = 90
      config.rules[0]!.severity = 'warn'
      delete config.rules[1]!.rule
    })
    expect(diffPipelines(base, after).nodes.changed).toEqual([
      {
        id: 'check',
        config: [
          { path: 'mode', change: 'removed', before: 'quarantine' },
          { path: 'rules.0.max', change: 'changed', before: 80, after: 90 },
          { path: 'rules.0.severity', change: 'added', after: 'warn' },
          { path: 'rules.1.rule', change: 'removed', before: 'not_null' },
        ],
      },
    ])
  })

  it('shows an appended rule as the next index added, and a dropped last rule as removed', () => {
    const rule = { column: 'island', rule: 'in_set', values: ['Biscoe', 'Dream'] }
    const appended = edited((file) => void checkConfig(file).rules.push(rule))
    expect(diffPipelines(base, appended).nodes.changed).toEqual([{ id: 'check', config: [{ path: 'rules.2', change: 'added', after: rule }] }])
    const dropped = edited((file) => void checkConfig(file).rules.pop())
    expect(diffPipelines(base, dropped).nodes.changed[0]!.config).toEqual([
      { path: 'rules.1', change: 'removed', before: { column: 'species', rule: 'not_null' } },
    ])
  })

  it('compares a value that changes type as a whole', () => {
    const after = edited((file) => {
      file.nodes[0]!.config = { source: 'https://example.org/p.csv' }
    })
    expect(diffPipelines(base, after).nodes.changed[0]!.config).toEqual([
      { path: 'source', change: 'changed', before: { type: 'url', url: 'https://example.org/p.csv' }, after: 'https://example.org/p.csv' },
    ])
  })

  it('reports a node that only moved on the canvas as moved, not changed', () => {
    const after = edited((file) => {
      file.ui = { ...file.ui, positions: { load: { x: 0, y: 0 }, check: { x: 320, y: 40 } } }
    })
    expect(diffPipelines(base, after)).toEqual({ ...nothing, nodes: { ...nothing.nodes, moved: ['check'] }, unchanged: false })
  })

  it('reports a kind change with the config fields that differ', () => {
    const after = edited((file) => {
      file.nodes[1] = { id: 'check', kind: 'profile', config: { mode: 'quarantine' } }
    })
    expect(diffPipelines(base, after).nodes.changed).toEqual([
      {
        id: 'check',
        kindChanged: { before: 'validate', after: 'profile' },
        config: [{ path: 'rules', change: 'removed', before: checkConfig(base).rules }],
      },
    ])
  })

  it('reports a rename and a new description', () => {
    const after = edited((file) => {
      file.name = 'penguins'
      file.description = 'Species from bill sizes'
    })
    const diff = diffPipelines(base, after)
    expect(diff.renamed).toEqual({ before: 'penguin-species', after: 'penguins' })
    expect(diff.description).toEqual({ after: 'Species from bill sizes' })
    expect(diff.nodes).toEqual(nothing.nodes)
    expect(diff.unchanged).toBe(false)
  })

  it('says whether notes or groups changed, without listing them', () => {
    const noted = edited((file) => {
      file.ui = { ...file.ui, notes: [{ id: 'n1', text: 'hello, world', position: { x: 0, y: 200 } }] }
    })
    expect(diffPipelines(base, noted)).toMatchObject({ notesChanged: true, groupsChanged: false, unchanged: false })
    const grouped = edited((file) => {
      file.ui = { ...file.ui, groups: [{ id: 'g1', label: 'data', nodeIds: ['load', 'check'] }] }
    })
    expect(diffPipelines(base, grouped)).toMatchObject({ notesChanged: false, groupsChanged: true, unchanged: false })
    const withoutUi = edited((file) => delete file.ui)
    expect(diffPipelines(withoutUi, withoutUi).unchanged).toBe(true)
  })
})
