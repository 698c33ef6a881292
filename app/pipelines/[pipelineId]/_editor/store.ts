'use client'
import { create } from 'zustand'
import type { RunDetail } from '@/server/runner/runs'
import { toPipelineFile, type EditorDoc, type XY } from './document'
import type { DiffView } from './diff-view'
import * as edits from './edits'
import { groupBox } from './geometry'
import { checkpoint, record, redo, replace, startHistory, undo, type History } from './history'

export interface Selection {
  nodes: string[]
  edges: string[]
  notes: string[]
  groups: string[]
}

const nothingSelected: Selection = { nodes: [], edges: [], notes: [], groups: [] }

export interface RunLog {
  id: number
  stepId: string
  at: Date
  level: string
  message: string
}

const maxLogs = 5000

export interface Toast {
  id: number
  tone: 'error' | 'info'
  message: string
}

export interface EditorState {
  pipelineId: string
  history: History<EditorDoc>
  selection: Selection
  /** the document when a drag began; one undo step is recorded when it ends */
  dragAnchor: EditorDoc | null
  /** JSON of the file last saved as a version, to tell whether there are unsaved changes */
  savedJson: string
  headVersion: number
  run: RunDetail | null
  /** log lines of `run`, oldest first */
  logs: RunLog[]
  /** the node whose panel is open */
  panelNodeId: string | null
  toast: Toast | null
  /** two versions compared on the canvas (read-only while shown) */
  diffView: DiffView | null
}

export interface EditorActions {
  init(input: { pipelineId: string; doc: EditorDoc; savedJson: string; headVersion: number; run: RunDetail | null }): void
  /** record an edit as one undo step; edits sharing `foldKey` fold while they keep coming */
  edit(change: (doc: EditorDoc) => EditorDoc, foldKey?: string): void
  /** move nodes/notes/groups during a drag, without an undo step */
  dragTo(moves: { nodes: Map<string, XY>; notes: Map<string, XY>; groups: Map<string, XY> }): void
  beginDrag(): void
  endDrag(): void
  select(selection: Partial<Selection>): void
  undo(): void
  redo(): void
  markSaved(doc: EditorDoc, version: number): void
  setRun(run: RunDetail | null): void
  addLogs(lines: RunLog[]): void
  openPanel(nodeId: string | null): void
  notify(message: string, tone?: Toast['tone']): void
  dismissToast(): void
  showDiff(view: DiffView | null): void
}

export type EditorStore = EditorState & EditorActions

export const useEditor = create<EditorStore>()((set, get) => ({
  pipelineId: '',
  history: startHistory<EditorDoc>({ name: '', nodes: [], edges: [], notes: [], groups: [] }),
  selection: nothingSelected,
  dragAnchor: null,
  savedJson: '',
  headVersion: 1,
  run: null,
  logs: [],
  panelNodeId: null,
  toast: null,
  diffView: null,

  init: ({ pipelineId, doc, savedJson, headVersion, run }) =>
    set({ pipelineId, history: startHistory(doc), savedJson, headVersion, run, logs: [], selection: nothingSelected, panelNodeId: null, dragAnchor: null, diffView: null }),

  edit: (change, foldKey) => {
    const { history } = get()
    const next = change(history.present)
    if (next === history.present) return
    set({ history: record(history, next, foldKey ? { key: foldKey, at: Date.now() } : undefined) })
  },

  dragTo: ({ nodes, notes, groups }) => {
    const { history } = get()
    let doc = history.present
    const nodeMoves = new Map(nodes)
    // a group frame carries its members: move them by the frame's displacement
    for (const [groupId, to] of groups) {
      const group = doc.groups.find((g) => g.id === groupId)
      const box = group && groupBox(doc, group)
      if (!group || !box) continue
      const dx = to.x - box.x
      const dy = to.y - box.y
      for (const node of doc.nodes) {
        if (group.nodeIds.includes(node.id) && !nodeMoves.has(node.id)) {
          nodeMoves.set(node.id, { x: node.position.x + dx, y: node.position.y + dy })
        }
      }
    }
    doc = edits.moveNotes(edits.moveNodes(doc, nodeMoves), notes)
    set({ history: replace(history, doc) })
  },

  beginDrag: () => {
    if (get().dragAnchor === null) set({ dragAnchor: get().history.present })
  },

  endDrag: () => {
    const { dragAnchor, history } = get()
    if (dragAnchor === null) return
    set({ history: checkpoint(history, dragAnchor), dragAnchor: null })
  },

  select: (selection) => set({ selection: { ...get().selection, ...selection } }),

  undo: () => set({ history: undo(get().history), selection: nothingSelected }),
  redo: () => set({ history: redo(get().history), selection: nothingSelected }),

  markSaved: (doc, version) => set({ savedJson: JSON.stringify(toPipelineFile(doc)), headVersion: version }),

  setRun: (run) => set(get().run?.id === run?.id ? { run } : { run, logs: [] }),
  addLogs: (lines) => {
    const seen = new Set(get().logs.map((l) => l.id))
    const fresh = lines.filter((l) => !seen.has(l.id))
    if (fresh.length > 0) set({ logs: [...get().logs, ...fresh].slice(-maxLogs) })
  },
  openPanel: (panelNodeId) => set({ panelNodeId }),

  notify: (message, tone = 'error') => set({ toast: { id: Date.now(), tone, message } }),
  dismissToast: () => set({ toast: null }),
  showDiff: (diffView) => set({ diffView, panelNodeId: null, selection: nothingSelected }),
}))

export const useDoc = () => useEditor((s) => s.history.present)

export function isDirty(state: EditorState): boolean {
  return JSON.stringify(toPipelineFile(state.history.present)) !== state.savedJson
}
