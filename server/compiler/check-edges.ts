import type { Ports, PortType } from '@/nodes/contract'
import type { GraphNode } from './core'
import type { GraphEdge } from './graph'
import type { ReadableFile } from './read-file'
import { closest, quote } from './text'
import type { CompileError, StepSource } from './types'

/** graph node → input port → the output feeding it (the first edge into that port) */
export type ConnectedInputs = Map<number, Map<string, StepSource & { edge: number }>>

interface EdgeEnd {
  side: 'from' | 'to'
  nodeId: string
  port: string
}

/**
 * Every edge checked on its own: both ends name a node and one of its ports, the port types
 * agree, and no input port takes two edges. Edges whose ends are both nodes go into the graph,
 * even when a port is wrong, so a cycle is still found.
 */
export function checkEdges(
  file: ReadableFile,
  byId: ReadonlyMap<string, GraphNode>,
): { errors: CompileError[]; connected: ConnectedInputs; graphEdges: GraphEdge[] } {
  const errors: CompileError[] = []
  const connected: ConnectedInputs = new Map()
  const graphEdges: GraphEdge[] = []
  const suggest = suggester(byId)

  for (const { index, edge } of file.edges) {
    const label = `edge ${index} ${quote(edge.from)} → ${quote(edge.to)}`
    const ends = [splitRef(edge.from, 'from'), splitRef(edge.to, 'to')] as const
    const [source, target] = ends.map((end) => {
      const node = byId.get(end.nodeId)
      if (!node && !file.brokenIds.has(end.nodeId)) {
        const guess = suggest(end.nodeId)
        const hint = guess === undefined ? '' : ` (did you mean ${quote(guess)}?)`
        const message = `${label}: there is no node ${quote(end.nodeId)}${hint}`
        errors.push({ code: 'dangling_edge', message, path: ['edges', index, end.side] })
      }
      return node
    })
    const [sourceType, targetType] = ends.map((end, i) => {
      const node = i === 0 ? source : target
      if (!node?.definition) return undefined
      const { in: inputs, out: outputs } = node.definition.ports
      const own = end.side === 'from' ? outputs : inputs
      if (Object.hasOwn(own, end.port)) return own[end.port]
      const message = `${label}: node ${quote(end.nodeId)} has no ${end.side === 'from' ? 'output' : 'input'} port ${quote(end.port)} (${portsHint(end, inputs, outputs)})`
      errors.push({ code: 'unknown_port', message, path: ['edges', index, end.side], nodeId: end.nodeId })
      return undefined
    })

    if (target && targetType) {
      const [, to] = ends
      const ports = connected.get(target.graph) ?? new Map()
      connected.set(target.graph, ports)
      const first = ports.get(to.port)
      if (first) {
        const message = `${label}: input ${quote(edge.to)} already has an edge (edge ${first.edge} from ${quote(`${first.nodeId}.${first.port}`)}); an input port takes exactly one edge`
        errors.push({ code: 'input_has_many_edges', message, path: ['edges', index, 'to'], nodeId: to.nodeId })
      } else {
        ports.set(to.port, { nodeId: ends[0].nodeId, port: ends[0].port, edge: index })
      }
    }
    if (sourceType && targetType && sourceType !== targetType) {
      const message = `${label} connects ${article(sourceType)} to ${article(targetType)} input`
      errors.push({ code: 'port_type_mismatch', message, path: ['edges', index], nodeId: ends[1].nodeId })
    }
    if (source && target) graphEdges.push({ from: source.graph, to: target.graph, index })
  }
  return { errors, connected, graphEdges }
}

/** "Did you mean" for missing node ids: remembered per id, and only for the first few, so huge files stay fast. */
function suggester(byId: ReadonlyMap<string, unknown>): (id: string) => string | undefined {
  const known = new Map<string, string | undefined>()
  let budget = 50
  return (id) => {
    if (!known.has(id) && budget > 0) {
      budget--
      known.set(id, closest(id, byId.keys()))
    }
    return known.get(id)
  }
}

/** `"load.dataset"` → node `load`, port `dataset` (the file's schema allows exactly one dot). */
function splitRef(ref: string, side: EdgeEnd['side']): EdgeEnd {
  const dot = ref.indexOf('.')
  return { side, nodeId: ref.slice(0, dot), port: ref.slice(dot + 1) }
}

function portsHint(end: EdgeEnd, inputs: Ports, outputs: Ports): string {
  const [own, other, otherName] = end.side === 'from' ? [outputs, inputs, 'input'] : [inputs, outputs, 'output']
  const names = Object.keys(own)
  const has = names.length === 0 ? 'it has none' : `it has: ${names.join(', ')}`
  return Object.hasOwn(other, end.port) ? `${has}; ${quote(end.port)} is an ${otherName} port` : has
}

function article(type: PortType): string {
  return `a ${type}`
}
