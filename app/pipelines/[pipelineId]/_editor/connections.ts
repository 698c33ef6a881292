import { findNodeDefinition } from '@/nodes/registry'
import type { DocEdge, EditorDoc } from './document'

export type ConnectionCheck = { ok: true } | { ok: false; reason: string }

/** The ports a node offers: its definition's, or none for an unknown kind. */
export function portsOf(kind: string) {
  return findNodeDefinition(kind)?.ports ?? { in: {}, out: {} }
}

function reaches(doc: EditorDoc, from: string, goal: string): boolean {
  const next = new Map<string, string[]>()
  for (const edge of doc.edges) next.set(edge.from.node, [...(next.get(edge.from.node) ?? []), edge.to.node])
  const seen = new Set<string>()
  const stack = [from]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (id === goal) return true
    if (seen.has(id)) continue
    seen.add(id)
    stack.push(...(next.get(id) ?? []))
  }
  return false
}

/**
 * Whether an edge may be drawn, and if not, why in words: the same rules the compiler applies
 * (port types agree, one edge per input, no cycles), checked while the user drags.
 */
export function checkConnection(doc: EditorDoc, edge: DocEdge): ConnectionCheck {
  const source = doc.nodes.find((n) => n.id === edge.from.node)
  const target = doc.nodes.find((n) => n.id === edge.to.node)
  if (!source || !target) return { ok: false, reason: 'Both ends must be nodes on the canvas.' }
  if (source.id === target.id) return { ok: false, reason: `"${source.id}" cannot feed itself.` }
  const outType = portsOf(source.kind).out[edge.from.port]
  const inType = portsOf(target.kind).in[edge.to.port]
  if (!outType) return { ok: false, reason: `"${source.id}" has no output called "${edge.from.port}".` }
  if (!inType) return { ok: false, reason: `"${target.id}" has no input called "${edge.to.port}".` }
  if (outType !== inType) {
    return {
      ok: false,
      reason: `Cannot connect ${source.id}.${edge.from.port} (${outType}) to ${target.id}.${edge.to.port} (${inType}): a ${inType} input needs a ${inType} output.`,
    }
  }
  const feeding = doc.edges.find((e) => e.to.node === target.id && e.to.port === edge.to.port)
  if (feeding) {
    const same = feeding.from.node === source.id && feeding.from.port === edge.from.port
    return {
      ok: false,
      reason: same
        ? 'These ports are connected already.'
        : `${target.id}.${edge.to.port} is already fed by ${feeding.from.node}.${feeding.from.port}; delete that edge first.`,
    }
  }
  if (reaches(doc, target.id, source.id)) {
    return { ok: false, reason: `Connecting ${source.id} to ${target.id} would make a cycle: ${target.id} already feeds ${source.id}.` }
  }
  return { ok: true }
}
