import type { Edge, Node } from '@xyflow/react'
import type { RunDetail } from '@/server/runner/runs'
import type { DiffMark } from './diff-view'
import { edgeId, type DocEdge, type DocNode, type EditorDoc } from './document'
import type { GroupFlowNode } from './group-node'
import { groupBox, nodeSize } from './geometry'
import type { NoteFlowNode } from './note-node'
import { handleBounds, portLayout } from './ports-layout'
import type { StepFlowNode, StepView } from './step-node'

export type FlowNode = StepFlowNode | NoteFlowNode | GroupFlowNode

/** React Flow ids for the canvas-only elements; node ids of the file cannot contain ":" */
export const noteFlowId = (id: string) => `note:${id}`
export const groupFlowId = (id: string) => `group:${id}`

export type StepViews = Map<string, StepView>

export function stepViews(run: RunDetail | null): StepViews {
  const views: StepViews = new Map()
  for (const step of run?.steps ?? []) {
    views.set(step.nodeId, {
      runId: run!.id,
      status: step.status,
      waitingFor: step.waitingFor,
      cached: step.cached,
      cachedFromRunId: step.cachedFromRunId,
      progress: step.progress,
      progressMessage: step.progressMessage,
      durationMs: step.durationMs,
      error: step.error,
      attempt: step.attempt,
    })
  }
  return views
}

interface CachedStep {
  node: DocNode
  selected: boolean
  step: StepView | undefined
  problems: string[] | undefined
  mark: DiffMark | undefined
  flow: StepFlowNode
}

/**
 * Builds React Flow nodes from the document, reusing the previous object for every node whose
 * inputs did not change: React Flow and the memoised node components then skip them, so a drag
 * re-renders the dragged node and nothing else.
 */
export function createStepNodeCache() {
  const cache = new Map<string, CachedStep>()
  return function stepNodes(
    doc: EditorDoc,
    selected: Set<string>,
    steps: StepViews,
    problems: Map<string, string[]>,
    marks?: Map<string, DiffMark>,
  ): StepFlowNode[] {
    const seen = new Set<string>()
    const out = doc.nodes.map((node) => {
      seen.add(node.id)
      const isSelected = selected.has(node.id)
      const step = steps.get(node.id)
      const nodeProblems = problems.get(node.id)
      const mark = marks?.get(node.id)
      const hit = cache.get(node.id)
      if (hit && hit.node === node && hit.selected === isSelected && hit.step === step && hit.problems === nodeProblems && hit.mark === mark) {
        return hit.flow
      }
      const flow = stepFlowNode(node, isSelected, step, nodeProblems, mark)
      cache.set(node.id, { node, selected: isSelected, step, problems: nodeProblems, mark, flow })
      return flow
    })
    for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id)
    return out
  }
}

const noProblems: string[] = []

function stepFlowNode(
  node: DocNode,
  selected: boolean,
  step: StepView | undefined,
  problems: string[] | undefined,
  mark: DiffMark | undefined,
): StepFlowNode {
  const size = nodeSize(node.kind)
  const status = step ? step.status : 'idle'
  return {
    id: node.id,
    type: 'step',
    position: node.position,
    width: size.width,
    height: size.height,
    measured: size,
    handles: handleBounds(node.kind),
    selected,
    zIndex: 1,
    data: { kind: node.kind, ports: portLayout(node.kind), problems: problems ?? noProblems, step: step ?? null, mark: mark ?? null },
    ariaLabel: `${node.id} (${node.kind})${step ? `, ${status}` : ''}`,
    domAttributes: {
      'data-node-id': node.id,
      'data-status': status,
      ...(step?.cached ? { 'data-cached': 'true' } : {}),
      ...(mark ? { 'data-diff': mark } : {}),
    } as Node['domAttributes'],
  }
}

export function noteNodes(doc: EditorDoc, selected: Set<string>): NoteFlowNode[] {
  return doc.notes.map((note) => ({
    id: noteFlowId(note.id),
    type: 'note',
    position: note.position,
    width: note.width,
    height: note.height,
    measured: { width: note.width, height: note.height },
    selected: selected.has(note.id),
    zIndex: 0,
    data: { noteId: note.id, text: note.text },
  }))
}

export function groupNodes(doc: EditorDoc, selected: Set<string>): GroupFlowNode[] {
  return doc.groups.flatMap((group) => {
    const box = groupBox(doc, group)
    if (!box) return []
    return [
      {
        id: groupFlowId(group.id),
        type: 'frame' as const,
        position: { x: box.x, y: box.y },
        width: box.width,
        height: box.height,
        measured: { width: box.width, height: box.height },
        selected: selected.has(group.id),
        zIndex: -1,
        data: { groupId: group.id, label: group.label },
      },
    ]
  })
}

const edgeMarkStyle = {
  added: { stroke: '#16a34a', strokeWidth: 2.5 },
  removed: { stroke: '#dc2626', strokeWidth: 2.5, strokeDasharray: '6 4' },
}

/** Edge objects keep their identity while their inputs do, so React Flow skips the unchanged ones. */
export function createEdgeCache() {
  const cache = new Map<string, { edge: DocEdge; selected: boolean; running: boolean; mark: string | undefined; flow: Edge }>()
  let previous: Edge[] = []
  return function flowEdges(doc: EditorDoc, selected: Set<string>, steps: StepViews, marks?: Map<string, 'added' | 'removed'>): Edge[] {
    const seen = new Set<string>()
    const out = doc.edges.map((edge) => {
      const id = edgeId(edge)
      seen.add(id)
      const isSelected = selected.has(id)
      const running = steps.get(edge.to.node)?.status === 'running'
      const mark = marks?.get(id)
      const hit = cache.get(id)
      if (hit && hit.edge === edge && hit.selected === isSelected && hit.running === running && hit.mark === mark) return hit.flow
      const flow: Edge = {
        ...(mark ? { style: edgeMarkStyle[mark], domAttributes: { 'data-diff': mark } as Edge['domAttributes'] } : {}),
        id,
        source: edge.from.node,
        sourceHandle: edge.from.port,
        target: edge.to.node,
        targetHandle: edge.to.port,
        selected: isSelected,
        animated: running,
      }
      cache.set(id, { edge, selected: isSelected, running, mark, flow })
      return flow
    })
    for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id)
    if (out.length === previous.length && out.every((edge, i) => edge === previous[i])) return previous
    previous = out
    return out
  }
}
