'use client'
import { findNodeDefinition } from '@/nodes/registry'
import { defaultConfig } from '../_config-form/field-spec'
import { freshNodeId, type EditorDoc, type XY } from './document'
import * as edits from './edits'
import { parsePipelineText, pipelineJson } from './file-io'
import type { Box } from './geometry'
import { autoLayout } from './layout'
import { useEditor } from './store'

/** Editor commands shared by the toolbar, the keyboard shortcuts and the canvas. Each is one undo step. */

const noSelection = { nodes: [], edges: [], notes: [], groups: [] }

export function addNodeAt(kind: string, position: XY): void {
  if (!findNodeDefinition(kind)) return
  const store = useEditor.getState()
  const id = freshNodeId(store.history.present, kind)
  store.edit((d) => edits.addNode(d, { id, kind, config: defaultConfig(kind), position }))
  store.select({ ...noSelection, nodes: [id] })
  store.openPanel(id)
}

export function addNoteAt(position: XY): void {
  const store = useEditor.getState()
  const taken = new Set(store.history.present.notes.map((n) => n.id))
  let n = taken.size + 1
  while (taken.has(`note-${n}`)) n++
  const id = `note-${n}`
  store.edit((d) => edits.addNote(d, { id, text: '', position, width: 240, height: 140 }))
  store.select({ ...noSelection, notes: [id] })
}

/** The selection as pipeline-file JSON (what copy puts on the clipboard), or null when nothing is selected. */
export function selectionAsJson(): string | null {
  const { history, selection } = useEditor.getState()
  const groupMembers = history.present.groups.filter((g) => selection.groups.includes(g.id)).flatMap((g) => g.nodeIds)
  const nodeIds = new Set([...selection.nodes, ...groupMembers])
  if (nodeIds.size === 0 && selection.notes.length === 0) return null
  return pipelineJson(edits.extractFragment(history.present, nodeIds, new Set(selection.notes)))
}

export function deleteSelection(): void {
  const store = useEditor.getState()
  store.edit((d) => edits.deleteElements(d, store.selection))
  store.select(noSelection)
}

const pasteNudge = 48

/** Where a pasted fragment goes: beside its original when that is in view, else the middle of the view. */
function pasteOffset(fragment: EditorDoc, view: Box): XY {
  const xs = [...fragment.nodes, ...fragment.notes].map((n) => n.position)
  if (xs.length === 0) return { x: pasteNudge, y: pasteNudge }
  const left = Math.min(...xs.map((p) => p.x))
  const top = Math.min(...xs.map((p) => p.y))
  const inView = left >= view.x && left <= view.x + view.width && top >= view.y && top <= view.y + view.height
  if (inView) return { x: pasteNudge, y: pasteNudge }
  return { x: view.x + view.width / 3 - left, y: view.y + view.height / 3 - top }
}

/**
 * Pastes pipeline-file JSON (copied here, in another tab, or from a text editor) into `view`,
 * the part of the canvas on screen. Text that is not a pipeline file changes nothing and says why.
 */
export function pasteText(text: string, view: Box): boolean {
  const parsed = parsePipelineText(text)
  const store = useEditor.getState()
  if (!parsed.ok) {
    store.notify(`Nothing pasted: the clipboard does not hold pipeline nodes (${parsed.problems[0]}).`)
    return false
  }
  let pasted: ReturnType<typeof edits.pasteFragment> | null = null
  store.edit((d) => {
    pasted = edits.pasteFragment(d, parsed.doc, pasteOffset(parsed.doc, view))
    return pasted.doc
  })
  const result = pasted as ReturnType<typeof edits.pasteFragment> | null
  if (result) store.select({ ...noSelection, nodes: result.nodeIds, notes: result.noteIds })
  return true
}

/** Replaces the whole graph with an imported file; the pipeline keeps its name. */
export function importText(text: string): { ok: true } | { ok: false; problems: string[] } {
  const parsed = parsePipelineText(text)
  if (!parsed.ok) return parsed
  const store = useEditor.getState()
  store.edit((d) => ({ ...parsed.doc, name: d.name, description: parsed.doc.description ?? d.description }))
  store.select(noSelection)
  store.openPanel(null)
  return { ok: true }
}

export function groupSelection(): void {
  const store = useEditor.getState()
  const ids = store.selection.nodes
  if (ids.length === 0) return store.notify('Select the nodes to group first (shift-click or shift-drag a box).', 'info')
  let groupId = ''
  store.edit((d) => {
    const result = edits.groupNodes(d, ids, 'Group')
    groupId = result.groupId
    return result.doc
  })
  store.select({ ...noSelection, groups: [groupId] })
}

export function ungroupSelection(): void {
  const store = useEditor.getState()
  const groups = store.selection.groups
  if (groups.length === 0) return
  store.edit((d) => groups.reduce((acc, id) => edits.ungroup(acc, id), d))
  store.select(noSelection)
}

export function selectAll(): void {
  const { history, select } = useEditor.getState()
  const doc: EditorDoc = history.present
  select({ nodes: doc.nodes.map((n) => n.id), notes: doc.notes.map((n) => n.id), edges: [], groups: [] })
}

export async function layoutGraph(): Promise<void> {
  const doc = useEditor.getState().history.present
  if (doc.nodes.length === 0) return
  const positions = await autoLayout(doc)
  useEditor.getState().edit((d) => edits.moveNodes(d, positions))
}
