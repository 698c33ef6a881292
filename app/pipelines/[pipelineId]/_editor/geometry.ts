import type { DocGroup, EditorDoc, XY } from './document'
import { portsOf } from './connections'

/** Node boxes have a fixed size per kind, so groups, layout and paste can place them without measuring the DOM. */
export const nodeWidth = 224
/** keep in step with the node's markup: a 50 px header, then 22 px port rows */
const headerHeight = 50
const portRowHeight = 22
const groupPadding = 28
const groupLabelHeight = 26

export function nodeSize(kind: string): { width: number; height: number } {
  const ports = portsOf(kind)
  const rows = Math.max(1, Object.keys(ports.in).length, Object.keys(ports.out).length)
  return { width: nodeWidth, height: headerHeight + rows * portRowHeight + 12 }
}

export interface Box extends XY {
  width: number
  height: number
}

export function groupBox(doc: EditorDoc, group: DocGroup): Box | null {
  const members = doc.nodes.filter((n) => group.nodeIds.includes(n.id))
  if (members.length === 0) return null
  let left = Infinity
  let top = Infinity
  let right = -Infinity
  let bottom = -Infinity
  for (const node of members) {
    const size = nodeSize(node.kind)
    left = Math.min(left, node.position.x)
    top = Math.min(top, node.position.y)
    right = Math.max(right, node.position.x + size.width)
    bottom = Math.max(bottom, node.position.y + size.height)
  }
  return {
    x: left - groupPadding,
    y: top - groupPadding - groupLabelHeight,
    width: right - left + groupPadding * 2,
    height: bottom - top + groupPadding * 2 + groupLabelHeight,
  }
}
