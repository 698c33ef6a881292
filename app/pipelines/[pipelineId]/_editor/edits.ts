import type { DocEdge, DocGroup, DocNode, DocNote, EditorDoc, XY } from './document'
import { edgeId, freshNodeId } from './document'

/** Pure edits of an EditorDoc. Each returns a new document, or the same one when nothing changed. */

export function addNode(doc: EditorDoc, node: DocNode): EditorDoc {
  return { ...doc, nodes: [...doc.nodes, node] }
}

export function moveNodes(doc: EditorDoc, moves: Map<string, XY>): EditorDoc {
  if (moves.size === 0) return doc
  return { ...doc, nodes: doc.nodes.map((n) => (moves.has(n.id) ? { ...n, position: moves.get(n.id)! } : n)) }
}

export function moveNotes(doc: EditorDoc, moves: Map<string, XY>): EditorDoc {
  if (moves.size === 0) return doc
  return { ...doc, notes: doc.notes.map((n) => (moves.has(n.id) ? { ...n, position: moves.get(n.id)! } : n)) }
}

export function connect(doc: EditorDoc, edge: DocEdge): EditorDoc {
  return { ...doc, edges: [...doc.edges, edge] }
}

/** Removes nodes (with their edges and group memberships), edges, notes and groups by id. */
export function deleteElements(doc: EditorDoc, ids: { nodes?: string[]; edges?: string[]; notes?: string[]; groups?: string[] }): EditorDoc {
  const nodes = new Set(ids.nodes ?? [])
  const edges = new Set(ids.edges ?? [])
  const notes = new Set(ids.notes ?? [])
  const groups = new Set(ids.groups ?? [])
  if (nodes.size + edges.size + notes.size + groups.size === 0) return doc
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !nodes.has(n.id)),
    edges: doc.edges.filter((e) => !edges.has(edgeId(e)) && !nodes.has(e.from.node) && !nodes.has(e.to.node)),
    notes: doc.notes.filter((n) => !notes.has(n.id)),
    groups: doc.groups
      .filter((g) => !groups.has(g.id))
      .map((g) => ({ ...g, nodeIds: g.nodeIds.filter((id) => !nodes.has(id)) }))
      .filter((g) => g.nodeIds.length > 0),
  }
}

export function setConfig(doc: EditorDoc, nodeId: string, config: Record<string, unknown>): EditorDoc {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === nodeId ? { ...n, config } : n)) }
}

/** Renames a node and every reference to it (edges, groups). */
export function renameNode(doc: EditorDoc, from: string, to: string): EditorDoc {
  const swap = (id: string) => (id === from ? to : id)
  return {
    ...doc,
    nodes: doc.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)),
    edges: doc.edges.map((e) => ({ from: { ...e.from, node: swap(e.from.node) }, to: { ...e.to, node: swap(e.to.node) } })),
    groups: doc.groups.map((g) => ({ ...g, nodeIds: g.nodeIds.map(swap) })),
  }
}

export function addNote(doc: EditorDoc, note: DocNote): EditorDoc {
  return { ...doc, notes: [...doc.notes, note] }
}

export function updateNote(doc: EditorDoc, id: string, patch: Partial<Omit<DocNote, 'id'>>): EditorDoc {
  return { ...doc, notes: doc.notes.map((n) => (n.id === id ? { ...n, ...patch } : n)) }
}

/** Groups nodes under a name; a node belongs to one group at most, so it leaves any other. */
export function groupNodes(doc: EditorDoc, nodeIds: string[], label: string): { doc: EditorDoc; groupId: string } {
  const members = new Set(nodeIds)
  const taken = new Set(doc.groups.map((g) => g.id))
  let n = doc.groups.length + 1
  while (taken.has(`group-${n}`)) n++
  const group: DocGroup = { id: `group-${n}`, label, nodeIds }
  const others = doc.groups
    .map((g) => ({ ...g, nodeIds: g.nodeIds.filter((id) => !members.has(id)) }))
    .filter((g) => g.nodeIds.length > 0)
  return { doc: { ...doc, groups: [...others, group] }, groupId: group.id }
}

export function ungroup(doc: EditorDoc, groupId: string): EditorDoc {
  return { ...doc, groups: doc.groups.filter((g) => g.id !== groupId) }
}

export function renameGroup(doc: EditorDoc, groupId: string, label: string): EditorDoc {
  return { ...doc, groups: doc.groups.map((g) => (g.id === groupId ? { ...g, label } : g)) }
}

/**
 * Adds copied nodes (with the edges among them, notes and groups) beside the originals: ids that
 * are taken get a fresh one, edges follow, everything is shifted by `offset`. Returns the new ids.
 */
export function pasteFragment(
  doc: EditorDoc,
  fragment: EditorDoc,
  offset: XY,
): { doc: EditorDoc; nodeIds: string[]; noteIds: string[] } {
  const renamed = new Map<string, string>()
  const taken = new Set<string>()
  for (const node of fragment.nodes) {
    const id = freshNodeId(doc, node.id, taken)
    taken.add(id)
    renamed.set(node.id, id)
  }
  const shift = (p: XY) => ({ x: p.x + offset.x, y: p.y + offset.y })
  const nodes = fragment.nodes.map((n) => ({ ...n, id: renamed.get(n.id)!, position: shift(n.position) }))
  const edges = fragment.edges
    .filter((e) => renamed.has(e.from.node) && renamed.has(e.to.node))
    .map((e) => ({ from: { ...e.from, node: renamed.get(e.from.node)! }, to: { ...e.to, node: renamed.get(e.to.node)! } }))
  const noteIds = new Set(doc.notes.map((n) => n.id))
  const notes = fragment.notes.map((note) => {
    let id = note.id
    for (let i = 2; noteIds.has(id); i++) id = `${note.id}-${i}`
    noteIds.add(id)
    return { ...note, id, position: shift(note.position) }
  })
  let next: EditorDoc = { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges], notes: [...doc.notes, ...notes] }
  for (const group of fragment.groups) {
    const members = group.nodeIds.map((id) => renamed.get(id)).filter((id): id is string => id !== undefined)
    if (members.length > 0) next = groupNodes(next, members, group.label).doc
  }
  return { doc: next, nodeIds: nodes.map((n) => n.id), noteIds: notes.map((n) => n.id) }
}

/** The selected part of a document, as a document of its own (what copy puts on the clipboard). */
export function extractFragment(doc: EditorDoc, nodeIds: Set<string>, noteIds: Set<string> = new Set()): EditorDoc {
  return {
    name: doc.name,
    nodes: doc.nodes.filter((n) => nodeIds.has(n.id)),
    edges: doc.edges.filter((e) => nodeIds.has(e.from.node) && nodeIds.has(e.to.node)),
    notes: doc.notes.filter((n) => noteIds.has(n.id)),
    groups: doc.groups
      .map((g) => ({ ...g, nodeIds: g.nodeIds.filter((id) => nodeIds.has(id)) }))
      .filter((g) => g.nodeIds.length > 0),
  }
}
