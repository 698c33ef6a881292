import { findNodeDefinition } from '@/nodes/registry'

/** A pipeline file as the graph needs it; anything else in the file is ignored. */
export interface GraphInput {
  nodes: { id: string; kind: string }[]
  edges: { from: string; to: string }[]
  ui?: Record<string, unknown>
}

export interface LaidOutNode {
  id: string
  kind: string
  title: string
  category: string | null
  inputs: string[]
  outputs: string[]
  x: number
  y: number
  width: number
  height: number
}

export interface LaidOutEdge {
  key: string
  fromPort: string
  toPort: string
  path: string
}

export interface GraphLayout {
  nodes: LaidOutNode[]
  edges: LaidOutEdge[]
  width: number
  height: number
}

export const nodeWidth = 208
const headerHeight = 50
const portRow = 20
const gapX = 96
const gapY = 32
const padding = 24

function splitRef(ref: string): { node: string; port: string } {
  const dot = ref.indexOf('.')
  return dot < 0 ? { node: ref, port: '' } : { node: ref.slice(0, dot), port: ref.slice(dot + 1) }
}

function portList(declared: string[], used: string[]): string[] {
  return [...new Set([...declared, ...used.filter(Boolean)])]
}

/** Longest path from a source: a node sits one column right of its deepest input. Cycles are cut. */
function depths(ids: string[], edges: { from: string; to: string }[]): Map<string, number> {
  const depth = new Map<string, number>()
  const visiting = new Set<string>()
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]))
  for (const edge of edges) parents.get(edge.to)?.push(edge.from)
  const visit = (id: string): number => {
    const known = depth.get(id)
    if (known !== undefined) return known
    if (visiting.has(id)) return 0
    visiting.add(id)
    const d = Math.max(-1, ...(parents.get(id) ?? []).map(visit)) + 1
    visiting.delete(id)
    depth.set(id, d)
    return d
  }
  ids.forEach(visit)
  return depth
}

function readPositions(ui: Record<string, unknown> | undefined): Map<string, { x: number; y: number }> {
  const positions = new Map<string, { x: number; y: number }>()
  const raw = ui?.positions
  if (!raw || typeof raw !== 'object') return positions
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    const p = value as { x?: unknown; y?: unknown } | null
    if (p && typeof p.x === 'number' && typeof p.y === 'number' && Number.isFinite(p.x) && Number.isFinite(p.y)) {
      positions.set(id, { x: p.x, y: p.y })
    }
  }
  return positions
}

/** Boxes in columns by depth (or at the saved canvas positions), edges as curves between ports. */
export function layoutGraph(file: GraphInput): GraphLayout {
  const edges = file.edges.map((e) => ({ from: splitRef(e.from), to: splitRef(e.to) }))
  const nodes: LaidOutNode[] = file.nodes.map((node) => {
    const definition = findNodeDefinition(node.kind)
    const inputs = portList(
      Object.keys(definition?.ports.in ?? {}),
      edges.filter((e) => e.to.node === node.id).map((e) => e.to.port),
    )
    const outputs = portList(
      Object.keys(definition?.ports.out ?? {}),
      edges.filter((e) => e.from.node === node.id).map((e) => e.from.port),
    )
    const rows = Math.max(inputs.length, outputs.length, 1)
    return {
      id: node.id,
      kind: node.kind,
      title: definition?.ui.title ?? node.kind,
      category: definition?.ui.category ?? null,
      inputs,
      outputs,
      x: 0,
      y: 0,
      width: nodeWidth,
      height: headerHeight + rows * portRow + 8,
    }
  })

  const positions = readPositions(file.ui)
  if (nodes.length > 0 && nodes.every((n) => positions.has(n.id))) {
    for (const node of nodes) Object.assign(node, positions.get(node.id))
  } else {
    const depth = depths(
      nodes.map((n) => n.id),
      edges.map((e) => ({ from: e.from.node, to: e.to.node })),
    )
    const columns = new Map<number, LaidOutNode[]>()
    for (const node of nodes) {
      const d = depth.get(node.id) ?? 0
      columns.set(d, [...(columns.get(d) ?? []), node])
    }
    const columnHeight = (column: LaidOutNode[]) => column.reduce((sum, n) => sum + n.height, 0) + gapY * (column.length - 1)
    const tallest = Math.max(0, ...[...columns.values()].map(columnHeight))
    for (const [d, column] of columns) {
      let y = (tallest - columnHeight(column)) / 2
      for (const node of column) {
        node.x = d * (nodeWidth + gapX)
        node.y = y
        y += node.height + gapY
      }
    }
  }

  // shift everything so the drawing starts at (padding, padding)
  const minX = Math.min(0, ...nodes.map((n) => n.x))
  const minY = Math.min(0, ...nodes.map((n) => n.y))
  for (const node of nodes) {
    node.x += padding - minX
    node.y += padding - minY
  }
  const width = Math.max(0, ...nodes.map((n) => n.x + n.width)) + padding
  const height = Math.max(0, ...nodes.map((n) => n.y + n.height)) + padding

  const byId = new Map(nodes.map((n) => [n.id, n]))
  const laidOutEdges: LaidOutEdge[] = []
  edges.forEach((edge, i) => {
    const source = byId.get(edge.from.node)
    const target = byId.get(edge.to.node)
    if (!source || !target) return
    const a = outputAnchor(source, edge.from.port)
    const b = inputAnchor(target, edge.to.port)
    const bend = Math.max(40, Math.abs(b.x - a.x) / 2)
    laidOutEdges.push({
      key: `${i}-${edge.from.node}.${edge.from.port}-${edge.to.node}.${edge.to.port}`,
      fromPort: edge.from.port,
      toPort: edge.to.port,
      path: `M ${a.x} ${a.y} C ${a.x + bend} ${a.y}, ${b.x - bend} ${b.y}, ${b.x} ${b.y}`,
    })
  })
  return { nodes, edges: laidOutEdges, width, height }
}

export function portY(node: LaidOutNode, index: number): number {
  return node.y + headerHeight + index * portRow + portRow / 2
}

function outputAnchor(node: LaidOutNode, port: string) {
  return { x: node.x + node.width, y: portY(node, Math.max(0, node.outputs.indexOf(port))) }
}

function inputAnchor(node: LaidOutNode, port: string) {
  return { x: node.x, y: portY(node, Math.max(0, node.inputs.indexOf(port))) }
}
