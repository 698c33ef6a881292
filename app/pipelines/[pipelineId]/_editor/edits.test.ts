import { describe, expect, it } from 'vitest'
import type { EditorDoc } from './document'
import { deleteElements, extractFragment, groupNodes, pasteFragment, renameNode } from './edits'
import { groupBox } from './geometry'

const doc: EditorDoc = {
  name: 'p',
  nodes: [
    { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } }, position: { x: 0, y: 0 } },
    { id: 'check', kind: 'validate', config: { rules: [] }, position: { x: 300, y: 0 } },
  ],
  edges: [{ from: { node: 'load', port: 'dataset' }, to: { node: 'check', port: 'dataset' } }],
  notes: [{ id: 'note-1', text: 'hi', position: { x: 0, y: 200 }, width: 200, height: 100 }],
  groups: [{ id: 'group-1', label: 'Data', nodeIds: ['load', 'check'] }],
}

describe('editing the document', () => {
  it('deletes a node with its edges and its group membership', () => {
    const next = deleteElements(doc, { nodes: ['check'] })
    expect(next.nodes.map((n) => n.id)).toEqual(['load'])
    expect(next.edges).toEqual([])
    expect(next.groups[0]!.nodeIds).toEqual(['load'])
    expect(deleteElements(next, { nodes: ['load'] }).groups).toEqual([])
    expect(deleteElements(doc, {})).toBe(doc)
  })

  it('renames a node and every reference to it', () => {
    const next = renameNode(doc, 'load', 'penguins')
    expect(next.edges[0]!.from.node).toBe('penguins')
    expect(next.groups[0]!.nodeIds).toEqual(['penguins', 'check'])
  })

  it('pastes a copy beside the original with fresh ids, its inner edges and its group', () => {
    const fragment = extractFragment(doc, new Set(['load', 'check']), new Set(['note-1']))
    const { doc: next, nodeIds, noteIds } = pasteFragment(doc, fragment, { x: 40, y: 40 })
    expect(nodeIds).toEqual(['load-2', 'check-2'])
    expect(noteIds).toEqual(['note-1-2'])
    expect(next.edges.at(-1)).toEqual({ from: { node: 'load-2', port: 'dataset' }, to: { node: 'check-2', port: 'dataset' } })
    expect(next.nodes.at(-1)!.position).toEqual({ x: 340, y: 40 })
    expect(next.groups.at(-1)).toMatchObject({ label: 'Data', nodeIds: ['load-2', 'check-2'] })
  })

  it('copies only the edges whose both ends are copied', () => {
    expect(extractFragment(doc, new Set(['check'])).edges).toEqual([])
  })

  it('moves a node into a new group out of its old one, and frames the group around its members', () => {
    const { doc: next, groupId } = groupNodes(doc, ['check'], 'Checks')
    expect(next.groups).toEqual([
      { id: 'group-1', label: 'Data', nodeIds: ['load'] },
      { id: groupId, label: 'Checks', nodeIds: ['check'] },
    ])
    const box = groupBox(next, next.groups[1]!)!
    expect(box.x).toBeLessThan(300)
    expect(box.x + box.width).toBeGreaterThan(300 + 224)
  })
})
