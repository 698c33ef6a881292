/**
 * What changed between two versions of a pipeline file, for the history panel. Pure and
 * isomorphic: no server imports, so the canvas can diff in the browser too.
 */
import type { PipelineFile } from '@/server/compiler/pipeline-file'

export interface ConfigChange {
  /** dotted path into the node's config, array items by index, e.g. `rules.0.max` */
  path: string
  change: 'added' | 'removed' | 'changed'
  /** absent for `added` */
  before?: unknown
  /** absent for `removed` */
  after?: unknown
}

export interface NodeChange {
  id: string
  kindChanged?: { before: string; after: string }
  /** field by field; empty when only the kind changed */
  config: ConfigChange[]
}

export interface PipelineDiff {
  nodes: {
    /** ids, in the order of the later file */
    added: string[]
    /** ids, in the order of the earlier file */
    removed: string[]
    /** nodes in both files whose kind or config differ */
    changed: NodeChange[]
    /** nodes in both files where only the canvas position (`ui.positions`) differs */
    moved: string[]
  }
  /** edges written `"a.out->b.in"`, as the canvas names them */
  edges: { added: string[]; removed: string[] }
  renamed?: { before: string; after: string }
  description?: { before?: string; after?: string }
  /** the canvas's sticky notes (`ui.notes`) differ */
  notesChanged: boolean
  /** the canvas's node groups (`ui.groups`) differ */
  groupsChanged: boolean
  /** nothing above differs (other view state, such as the viewport, is not compared) */
  unchanged: boolean
}

/** Nodes are matched by id (the first node with an id, as the compiler does); configs compared as JSON. */
export function diffPipelines(before: PipelineFile, after: PipelineFile): PipelineDiff {
  const beforeNodes = nodesById(before)
  const afterNodes = nodesById(after)
  const beforePositions = uiField(before, 'positions')
  const afterPositions = uiField(after, 'positions')

  const added = [...afterNodes.keys()].filter((id) => !beforeNodes.has(id))
  const removed = [...beforeNodes.keys()].filter((id) => !afterNodes.has(id))
  const changed: NodeChange[] = []
  const moved: string[] = []
  for (const [id, node] of afterNodes) {
    const old = beforeNodes.get(id)
    if (!old) continue
    const change: NodeChange = { id, config: [] }
    if (old.kind !== node.kind) change.kindChanged = { before: old.kind, after: node.kind }
    diffValue([], old.config ?? {}, node.config ?? {}, change.config)
    if (change.kindChanged || change.config.length > 0) changed.push(change)
    else if (!jsonEqual(positionOf(beforePositions, id), positionOf(afterPositions, id))) moved.push(id)
  }

  const beforeEdges = edgeNames(before)
  const afterEdges = edgeNames(after)
  const diff: PipelineDiff = {
    nodes: { added, removed, changed, moved },
    edges: {
      added: [...afterEdges].filter((edge) => !beforeEdges.has(edge)),
      removed: [...beforeEdges].filter((edge) => !afterEdges.has(edge)),
    },
    notesChanged: !jsonEqual(uiField(before, 'notes') ?? [], uiField(after, 'notes') ?? []),
    groupsChanged: !jsonEqual(uiField(before, 'groups') ?? [], uiField(after, 'groups') ?? []),
    unchanged: false,
  }
  if (before.name !== after.name) diff.renamed = { before: before.name, after: after.name }
  if ((before.description ?? '') !== (after.description ?? '')) {
    diff.description = { ...optional('before', before.description), ...optional('after', after.description) }
  }
  diff.unchanged =
    [added, removed, changed, moved, diff.edges.added, diff.edges.removed].every((list) => list.length === 0) &&
    !diff.notesChanged &&
    !diff.groupsChanged &&
    !diff.renamed &&
    !diff.description
  return diff
}

type FileNode = PipelineFile['nodes'][number]

function nodesById(file: PipelineFile): Map<string, FileNode> {
  const byId = new Map<string, FileNode>()
  for (const node of file.nodes) if (!byId.has(node.id)) byId.set(node.id, node)
  return byId
}

function edgeNames(file: PipelineFile): Set<string> {
  // files saved before `edges` had a default may lack it
  return new Set((file.edges ?? []).map((edge) => `${edge.from}->${edge.to}`))
}

function uiField(file: PipelineFile, key: string): unknown {
  return file.ui?.[key]
}

function positionOf(positions: unknown, id: string): unknown {
  return isRecord(positions) && Object.hasOwn(positions, id) ? positions[id] : undefined
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>)
}

/** Field by field: objects by key, arrays by index, anything else as a whole. */
function diffValue(path: (string | number)[], before: unknown, after: unknown, out: ConfigChange[]): void {
  if (jsonEqual(before, after)) return
  if (isRecord(before) && isRecord(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((key) => !Object.hasOwn(before, key))]
    for (const key of keys) {
      const inBefore = Object.hasOwn(before, key) && before[key] !== undefined
      const inAfter = Object.hasOwn(after, key) && after[key] !== undefined
      if (inBefore && inAfter) diffValue([...path, key], before[key], after[key], out)
      else if (inAfter) out.push({ path: dotted([...path, key]), change: 'added', after: after[key] })
      else if (inBefore) out.push({ path: dotted([...path, key]), change: 'removed', before: before[key] })
    }
    return
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      if (i >= before.length) out.push({ path: dotted([...path, i]), change: 'added', after: after[i] })
      else if (i >= after.length) out.push({ path: dotted([...path, i]), change: 'removed', before: before[i] })
      else diffValue([...path, i], before[i], after[i], out)
    }
    return
  }
  out.push({ path: dotted(path), change: 'changed', before, after })
}

function dotted(path: (string | number)[]): string {
  return path.join('.')
}

/** Structural equality of JSON values; key order does not matter, a key holding `undefined` counts as absent. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]))
  }
  if (isRecord(a) && isRecord(b)) {
    const keysA = Object.keys(a).filter((key) => a[key] !== undefined)
    const keysB = Object.keys(b).filter((key) => b[key] !== undefined)
    return keysA.length === keysB.length && keysA.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
  }
  return false
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
