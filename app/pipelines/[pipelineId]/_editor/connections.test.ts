import { describe, expect, it } from 'vitest'
import { checkConnection } from './connections'
import type { EditorDoc } from './document'

const doc: EditorDoc = {
  name: 'p',
  nodes: [
    { id: 'load', kind: 'ingest', config: {}, position: { x: 0, y: 0 } },
    { id: 'check', kind: 'validate', config: {}, position: { x: 300, y: 0 } },
    { id: 'again', kind: 'validate', config: {}, position: { x: 600, y: 0 } },
  ],
  edges: [{ from: { node: 'load', port: 'dataset' }, to: { node: 'check', port: 'dataset' } }],
  notes: [],
  groups: [],
}
const edge = (from: string, fromPort: string, to: string, toPort: string) => ({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } })

describe('checking a connection while it is drawn', () => {
  it('accepts an output feeding a free input of the same type', () => {
    expect(checkConnection(doc, edge('check', 'clean', 'again', 'dataset'))).toEqual({ ok: true })
  })

  it('refuses a type mismatch and names both ends and types', () => {
    const check = checkConnection(doc, edge('check', 'report', 'again', 'dataset'))
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/check\.report \(report\).*again\.dataset \(dataset\)/) })
  })

  it('refuses a second edge into an input and names the one already there', () => {
    const check = checkConnection(doc, edge('again', 'clean', 'check', 'dataset'))
    expect(check.ok).toBe(false)
    expect(!check.ok && check.reason).toMatch(/already fed by load\.dataset/)
  })

  it('refuses a cycle and a node feeding itself', () => {
    const chained: EditorDoc = { ...doc, edges: [...doc.edges, edge('check', 'clean', 'again', 'dataset')] }
    const cycle = checkConnection({ ...chained, edges: chained.edges.slice(1) }, edge('again', 'clean', 'check', 'dataset'))
    expect(!cycle.ok && cycle.reason).toMatch(/cycle/)
    const self = checkConnection(doc, edge('again', 'clean', 'again', 'dataset'))
    expect(!self.ok && self.reason).toMatch(/cannot feed itself/)
  })

  it('refuses ports a node does not have', () => {
    expect(checkConnection(doc, edge('load', 'model', 'again', 'dataset'))).toMatchObject({ ok: false, reason: expect.stringMatching(/no output called "model"/) })
    expect(checkConnection(doc, edge('load', 'dataset', 'again', 'labels'))).toMatchObject({ ok: false, reason: expect.stringMatching(/no input called "labels"/) })
  })
})
