'use client'
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type OnDelete,
} from '@xyflow/react'
import { useCallback, useEffect, useMemo, useRef, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react'
import { checkConnection } from './connections'
import type { DocEdge, XY } from './document'
import { nodeSize } from './geometry'
import * as edits from './edits'
import {
  createEdgeCache,
  createStepNodeCache,
  groupNodes,
  noteNodes,
  stepViews,
  type FlowNode,
  type StepViews,
} from './flow-elements'
import { GroupNode } from './group-node'
import { NoteNode } from './note-node'
import { paletteMime } from './palette-search'
import { addNodeAt } from './actions'
import { StepNode } from './step-node'
import { useEditor } from './store'
import type { Problems } from './use-problems'

const noSteps: StepViews = new Map()
const noProblems = new Map<string, string[]>()

const cullAbove = 150

const nodeTypes = { step: StepNode, note: NoteNode, frame: GroupNode }
const fitViewOptions = { maxZoom: 1, padding: 0.2 }
const deleteKeys = ['Delete', 'Backspace']
const multiKeys = ['Shift', 'Meta', 'Control']
const proOptions = { hideAttribution: true }
const beginDrag = () => useEditor.getState().beginDrag()
const endDrag = () => useEditor.getState().endDrag()
/** A plain click opens the node's panel; a shift/ctrl-click only adds it to the selection. */
const onNodeClick = (event: ReactMouseEvent, node: FlowNode) => {
  if (event.shiftKey || event.metaKey || event.ctrlKey) return
  if (node.type === 'step' && !useEditor.getState().diffView) useEditor.getState().openPanel(node.id)
}
const onDragOver = (event: DragEvent) => {
  event.preventDefault()
  event.dataTransfer.dropEffect = 'copy'
}

function toDocEdge(connection: Connection | { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }): DocEdge {
  return {
    from: { node: connection.source, port: connection.sourceHandle ?? '' },
    to: { node: connection.target, port: connection.targetHandle ?? '' },
  }
}

/** Splits React Flow ids back into what they stand for. */
function classify(ids: Iterable<string>) {
  const out = { nodes: [] as string[], notes: [] as string[], groups: [] as string[] }
  for (const id of ids) {
    if (id.startsWith('note:')) out.notes.push(id.slice(5))
    else if (id.startsWith('group:')) out.groups.push(id.slice(6))
    else out.nodes.push(id)
  }
  return out
}

export function Canvas({ problems, readOnly: mayNotEdit, dark }: { problems: Problems; readOnly: boolean; dark: boolean }) {
  const editing = useEditor((s) => s.history.present)
  const diffView = useEditor((s) => s.diffView)
  const doc = diffView?.doc ?? editing
  // two versions side by side are for looking at, not for editing
  const readOnly = mayNotEdit || diffView !== null
  const selection = useEditor((s) => s.selection)
  const run = useEditor((s) => s.run)
  const { screenToFlowPosition, fitView } = useReactFlow()
  useKeepPanelNodeInView()
  const stepNodesRef = useRef(createStepNodeCache())
  const flowEdgesRef = useRef(createEdgeCache())
  // fit an opened pipeline into view once; an empty one must not jump to its first node
  const fitOnOpen = useRef(editing.nodes.length > 0).current

  const steps = useMemo(() => stepViews(run), [run])

  // entering or leaving a comparison changes what is on the canvas: frame it
  const firstFit = useRef(true)
  useEffect(() => {
    if (firstFit.current) {
      firstFit.current = false
      return
    }
    const frame = requestAnimationFrame(() => void fitView({ padding: 0.2, maxZoom: 1, duration: 200 }))
    return () => cancelAnimationFrame(frame)
  }, [diffView, fitView])
  const selectedNodes = useMemo(() => new Set(selection.nodes), [selection.nodes])
  const selectedNotes = useMemo(() => new Set(selection.notes), [selection.notes])
  const selectedGroups = useMemo(() => new Set(selection.groups), [selection.groups])
  const selectedEdges = useMemo(() => new Set(selection.edges), [selection.edges])

  const nodes: FlowNode[] = useMemo(
    () => [
      ...groupNodes(doc, selectedGroups),
      ...noteNodes(doc, selectedNotes),
      ...stepNodesRef.current(doc, selectedNodes, diffView ? noSteps : steps, diffView ? noProblems : problems.byNode, diffView?.nodeMarks),
    ],
    [doc, selectedGroups, selectedNotes, selectedNodes, steps, problems.byNode, diffView],
  )
  const edges = useMemo(
    () => flowEdgesRef.current(doc, selectedEdges, diffView ? noSteps : steps, diffView?.edgeMarks),
    [doc, selectedEdges, steps, diffView],
  )

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    const store = useEditor.getState()
    const moves = { nodes: new Map<string, XY>(), notes: new Map<string, XY>(), groups: new Map<string, XY>() }
    let selectionChanged = false
    const selected = {
      nodes: new Set(store.selection.nodes),
      notes: new Set(store.selection.notes),
      groups: new Set(store.selection.groups),
    }
    for (const change of changes) {
      if (change.type === 'position' && change.position) {
        const [kind, id] = splitFlowId(change.id)
        moves[kind].set(id, change.position)
      } else if (change.type === 'select') {
        const [kind, id] = splitFlowId(change.id)
        if (change.selected) selected[kind].add(id)
        else selected[kind].delete(id)
        selectionChanged = true
      } else if (change.type === 'dimensions' && change.resizing && change.dimensions && change.id.startsWith('note:')) {
        const noteId = change.id.slice(5)
        const { width, height } = change.dimensions
        useEditor.setState((s) => ({ history: { ...s.history, present: edits.updateNote(s.history.present, noteId, { width, height }) } }))
      }
    }
    if (moves.nodes.size + moves.notes.size + moves.groups.size > 0) store.dragTo(moves)
    if (selectionChanged) {
      store.select({ nodes: [...selected.nodes], notes: [...selected.notes], groups: [...selected.groups] })
    }
  }, [])

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const store = useEditor.getState()
    const selected = new Set(store.selection.edges)
    let changed = false
    for (const change of changes) {
      if (change.type !== 'select') continue
      if (change.selected) selected.add(change.id)
      else selected.delete(change.id)
      changed = true
    }
    if (changed) store.select({ edges: [...selected] })
  }, [])

  const onDelete: OnDelete = useCallback(({ nodes: gone, edges: goneEdges }) => {
    const ids = classify(gone.map((n) => n.id))
    useEditor.getState().edit((d) => edits.deleteElements(d, { ...ids, edges: goneEdges.map((e) => e.id) }))
    useEditor.getState().select({ nodes: [], edges: [], notes: [], groups: [] })
  }, [])

  const isValidConnection: IsValidConnection = useCallback(
    (connection) => checkConnection(useEditor.getState().history.present, toDocEdge(connection)).ok,
    [],
  )

  const onConnect = useCallback((connection: Connection) => {
    const store = useEditor.getState()
    const edge = toDocEdge(connection)
    const check = checkConnection(store.history.present, edge)
    if (!check.ok) return store.notify(check.reason)
    store.edit((d) => edits.connect(d, edge))
  }, [])

  // React Flow refuses an invalid connection silently; say why it was refused
  const onConnectEnd = useCallback((_: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid || !state.fromHandle || !state.toHandle) return
    const [from, to] = state.fromHandle.type === 'source' ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle]
    const edge = toDocEdge({ source: from.nodeId, sourceHandle: from.id, target: to.nodeId, targetHandle: to.id })
    const check = checkConnection(useEditor.getState().history.present, edge)
    useEditor.getState().notify(check.ok ? 'Connect an output (right) to an input (left).' : check.reason)
  }, [])

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(paletteMime)
      if (!kind) return
      event.preventDefault()
      addNodeAt(kind, screenToFlowPosition({ x: event.clientX, y: event.clientY }))
    },
    [screenToFlowPosition],
  )

  return (
    <ReactFlow<FlowNode>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onDelete={readOnly ? undefined : onDelete}
      onConnect={readOnly ? undefined : onConnect}
      onConnectEnd={onConnectEnd}
      isValidConnection={isValidConnection}
      onNodeDragStart={beginDrag}
      onNodeDragStop={endDrag}
      onSelectionDragStart={beginDrag}
      onSelectionDragStop={endDrag}
      onNodeClick={onNodeClick}
      onDragOver={onDragOver}
      onDrop={onDrop}
      nodesDraggable={!readOnly}
      nodesConnectable={!readOnly}
      deleteKeyCode={readOnly ? null : deleteKeys}
      multiSelectionKeyCode={multiKeys}
      selectionKeyCode="Shift"
      // culling pays off only on large graphs; below that every node stays in the page, for screen readers and scripts
      onlyRenderVisibleElements={doc.nodes.length > cullAbove}
      // a selected group frame must stay behind its nodes
      elevateNodesOnSelect={false}
      minZoom={0.05}
      maxZoom={2}
      fitView={fitOnOpen}
      fitViewOptions={fitViewOptions}
      colorMode={dark ? 'dark' : 'light'}
      proOptions={proOptions}
      aria-label="Pipeline canvas"
    >
      <Background gap={20} />
      <MiniMap pannable zoomable ariaLabel="Overview of the whole pipeline" nodeStrokeWidth={2} style={{ width: 160, height: 110 }} />
      <Controls showInteractive={false} />
    </ReactFlow>
  )
}

/** The settings panel narrows the canvas; pan so the node it belongs to stays in sight. */
function useKeepPanelNodeInView(): void {
  const panelNodeId = useEditor((s) => s.panelNodeId)
  const { getInternalNode, getViewport, setCenter } = useReactFlow()
  useEffect(() => {
    if (!panelNodeId) return
    const frame = requestAnimationFrame(() => {
      const node = getInternalNode(panelNodeId)
      const pane = document.querySelector('.react-flow')?.getBoundingClientRect()
      if (!node || !pane) return
      const { x, y, zoom } = getViewport()
      const size = nodeSize(node.data.kind as string)
      const left = node.internals.positionAbsolute.x * zoom + x
      const top = node.internals.positionAbsolute.y * zoom + y
      const inside = left >= 0 && top >= 0 && left + size.width * zoom <= pane.width && top + size.height * zoom <= pane.height
      if (inside) return
      void setCenter(node.internals.positionAbsolute.x + size.width / 2, node.internals.positionAbsolute.y + size.height / 2, { zoom, duration: 200 })
    })
    return () => cancelAnimationFrame(frame)
  }, [panelNodeId, getInternalNode, getViewport, setCenter])
}

function splitFlowId(id: string): ['nodes' | 'notes' | 'groups', string] {
  if (id.startsWith('note:')) return ['notes', id.slice(5)]
  if (id.startsWith('group:')) return ['groups', id.slice(6)]
  return ['nodes', id]
}

