import { findNodeDefinition } from '@/nodes/registry'
import { describe, expect, it } from 'vitest'
import type { PipelineFile } from '@/server/compiler/pipeline-file'
import { fromPipelineFile, freshNodeId, toPipelineFile } from './document'
import { parsePipelineText } from './file-io'

const file: PipelineFile = {
  apiVersion: 'pipewright/v1',
  name: 'penguins',
  nodes: [
    { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } },
    { id: 'check', kind: 'validate', config: { rules: [{ column: 'bill [mm]', rule: 'not_null' }] } },
  ],
  edges: [{ from: 'load.dataset', to: 'check.dataset' }],
  ui: {
    positions: { load: { x: 10, y: 20 }, check: { x: 330, y: 20 } },
    notes: [{ id: 'note-1', text: '# Why', position: { x: 0, y: 200 }, width: 240, height: 120 }],
    groups: [{ id: 'group-1', label: 'Data', nodeIds: ['load', 'check', 'gone'] }],
  },
}

describe('the editor document and the pipeline file', () => {
  it('round-trips a file: nodes, edges, positions, notes and groups', () => {
    const doc = fromPipelineFile(file)
    expect(doc.nodes[1]!.position).toEqual({ x: 330, y: 20 })
    expect(doc.edges).toEqual([{ from: { node: 'load', port: 'dataset' }, to: { node: 'check', port: 'dataset' } }])
    // a group never names a node that is not there
    expect(doc.groups[0]!.nodeIds).toEqual(['load', 'check'])
    const back = toPipelineFile(doc)
    // saving stamps each node with the version of its kind the config is written for
    expect(back.nodes).toEqual(file.nodes.map((n) => ({ ...n, version: findNodeDefinition(n.kind)!.version })))
    expect(back.edges).toEqual(file.edges)
    expect(back.ui).toEqual({ ...file.ui, groups: [{ id: 'group-1', label: 'Data', nodeIds: ['load', 'check'] }] })
  })

  it('places nodes without positions left to right by depth, and ignores unreadable view state', () => {
    const doc = fromPipelineFile({ ...file, ui: { positions: 'nonsense', notes: [{ text: 3 }] } })
    expect(doc.nodes[0]!.position.x).toBeLessThan(doc.nodes[1]!.position.x)
    expect(doc.notes).toEqual([])
  })

  it('makes fresh node ids from the kind', () => {
    const doc = fromPipelineFile(file)
    expect(freshNodeId(doc, 'validate')).toBe('validate')
    expect(freshNodeId(doc, 'check')).toBe('check-2')
    expect(freshNodeId(doc, '9 odd name!')).toBe('odd-name-')
  })

  it('says what is wrong with text that is not a pipeline file', () => {
    expect(parsePipelineText('{ nope')).toMatchObject({ ok: false, problems: [expect.stringMatching(/not JSON/)] })
    expect(parsePipelineText('[1, 2]')).toMatchObject({ ok: false, problems: [expect.stringMatching(/JSON object/)] })
    const wrong = parsePipelineText(JSON.stringify({ apiVersion: 'v0', name: 'Bad Name', nodes: 'x' }))
    expect(wrong.ok).toBe(false)
    expect(!wrong.ok && wrong.problems.join('\n')).toMatch(/apiVersion[\s\S]*name[\s\S]*nodes/)
    expect(parsePipelineText(JSON.stringify(file))).toMatchObject({ ok: true })
  })
})
