import { z } from 'zod'
import { findNodeDefinition } from '@/nodes/registry'
import { describeUpgrade, upgradeConfig } from '@/server/compiler/migrate'
import type { PipelineFile } from '@/server/compiler/pipeline-file'

/**
 * The editor's view of a pipeline: the pipeline file plus what only the canvas needs (positions,
 * sticky notes, groups). `toPipelineFile` keeps the view state under the file's `ui` key, so the
 * file still runs without it. Pure and immutable: every edit makes a new document.
 */
export interface XY {
  x: number
  y: number
}

export interface DocNode {
  id: string
  kind: string
  config: Record<string, unknown>
  position: XY
}

export interface PortEnd {
  node: string
  port: string
}

export interface DocEdge {
  from: PortEnd
  to: PortEnd
}

export interface DocNote {
  id: string
  /** markdown */
  text: string
  position: XY
  width: number
  height: number
}

export interface DocGroup {
  id: string
  label: string
  nodeIds: string[]
}

export interface EditorDoc {
  name: string
  description?: string
  nodes: DocNode[]
  edges: DocEdge[]
  notes: DocNote[]
  groups: DocGroup[]
}

const xy = z.object({ x: z.number().finite(), y: z.number().finite() })

/** The canvas's part of the file; anything unreadable in it is dropped, never fatal. */
const uiState = z.object({
  positions: z.record(z.string(), xy).catch({}).default({}),
  notes: z
    .array(
      z.object({
        id: z.string().min(1),
        text: z.string().max(20_000),
        position: xy,
        width: z.number().min(40).max(4000).default(240),
        height: z.number().min(40).max(4000).default(160),
      }),
    )
    .catch([])
    .default([]),
  groups: z
    .array(z.object({ id: z.string().min(1), label: z.string().max(200), nodeIds: z.array(z.string()) }))
    .catch([])
    .default([]),
})

export function edgeId(edge: DocEdge): string {
  return `${edge.from.node}.${edge.from.port}->${edge.to.node}.${edge.to.port}`
}

export function splitPortRef(ref: string): PortEnd {
  const dot = ref.indexOf('.')
  return dot < 0 ? { node: ref, port: '' } : { node: ref.slice(0, dot), port: ref.slice(dot + 1) }
}

const columnGap = 300
const rowGap = 160

/** A plain left-to-right placement for nodes the file gives no position: by depth, then file order. */
function fallbackPositions(file: Pick<PipelineFile, 'nodes' | 'edges'>): Map<string, XY> {
  const parents = new Map<string, string[]>(file.nodes.map((n) => [n.id, []]))
  for (const edge of file.edges) parents.get(splitPortRef(edge.to).node)?.push(splitPortRef(edge.from).node)
  const depth = new Map<string, number>()
  const visiting = new Set<string>()
  const depthOf = (id: string): number => {
    const known = depth.get(id)
    if (known !== undefined) return known
    if (visiting.has(id)) return 0
    visiting.add(id)
    const d = Math.max(-1, ...(parents.get(id) ?? []).map(depthOf)) + 1
    visiting.delete(id)
    depth.set(id, d)
    return d
  }
  const rows = new Map<number, number>()
  const positions = new Map<string, XY>()
  for (const node of file.nodes) {
    const column = depthOf(node.id)
    const row = rows.get(column) ?? 0
    rows.set(column, row + 1)
    positions.set(node.id, { x: column * columnGap, y: row * rowGap })
  }
  return positions
}

export function fromPipelineFile(file: PipelineFile): EditorDoc {
  const ui = uiState.safeParse(file.ui ?? {})
  const view = ui.success ? ui.data : uiState.parse({})
  const fallback = fallbackPositions(file)
  const nodeIds = new Set(file.nodes.map((n) => n.id))
  return {
    name: file.name,
    ...(file.description === undefined ? {} : { description: file.description }),
    nodes: file.nodes.map((node) => ({
      id: node.id,
      kind: node.kind,
      config: currentConfig(node),
      position: view.positions[node.id] ?? fallback.get(node.id) ?? { x: 0, y: 0 },
    })),
    edges: file.edges.map((edge) => ({ from: splitPortRef(edge.from), to: splitPortRef(edge.to) })),
    notes: view.notes,
    groups: view.groups
      .map((group) => ({ ...group, nodeIds: group.nodeIds.filter((id) => nodeIds.has(id)) }))
      .filter((group) => group.nodeIds.length > 0),
  }
}

const round = (n: number) => Math.round(n)

/** What loading `file` upgraded: one sentence per node whose config was written for an older version. */
export function upgradesIn(file: PipelineFile): string[] {
  return file.nodes.flatMap((node) => {
    const definition = findNodeDefinition(node.kind)
    if (!definition || node.version === undefined) return []
    const upgraded = upgradeConfig({ ...node, config: node.config ?? {} }, definition)
    return upgraded.ok && upgraded.upgrade ? [`Node "${node.id}": ${describeUpgrade(upgraded.upgrade)}.`] : []
  })
}

/**
 * The config as today's version of its kind reads it: a file written for an older version is
 * upgraded by the kind's migrations (the compiler says which), so the form shows today's fields.
 * Saving writes the current version beside it.
 */
function currentConfig(node: PipelineFile['nodes'][number]): Record<string, unknown> {
  const config = node.config ?? {}
  const definition = findNodeDefinition(node.kind)
  if (!definition || node.version === undefined) return config
  const upgraded = upgradeConfig({ ...node, config }, definition)
  return upgraded.ok ? upgraded.config : config
}

export function toPipelineFile(doc: EditorDoc): PipelineFile {
  return {
    apiVersion: 'pipewright/v1',
    name: doc.name,
    ...(doc.description ? { description: doc.description } : {}),
    nodes: doc.nodes.map((node) => {
      const version = findNodeDefinition(node.kind)?.version
      return version === undefined ? { id: node.id, kind: node.kind, config: node.config } : { id: node.id, kind: node.kind, version, config: node.config }
    }),
    edges: doc.edges.map((edge) => ({
      from: `${edge.from.node}.${edge.from.port}`,
      to: `${edge.to.node}.${edge.to.port}`,
    })),
    ui: {
      positions: Object.fromEntries(doc.nodes.map((n) => [n.id, { x: round(n.position.x), y: round(n.position.y) }])),
      ...(doc.notes.length > 0 ? { notes: doc.notes } : {}),
      ...(doc.groups.length > 0 ? { groups: doc.groups } : {}),
    },
  }
}

/** A node id not yet in the document, built from the kind: "validate", "validate-2", … */
export function freshNodeId(doc: Pick<EditorDoc, 'nodes'>, base: string, taken = new Set<string>()): string {
  const used = new Set([...doc.nodes.map((n) => n.id), ...taken])
  const stem = base.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z]+/, '') || 'node'
  if (!used.has(stem)) return stem
  for (let i = 2; ; i++) if (!used.has(`${stem}-${i}`)) return `${stem}-${i}`
}
