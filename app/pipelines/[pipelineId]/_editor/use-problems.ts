'use client'
import { useMemo, useRef } from 'react'
import { compile, type CompileError } from '@/server/compiler/compile'
import { toPipelineFile, type EditorDoc } from './document'

export interface Problems {
  all: CompileError[]
  /** messages per node id, for the node's badge */
  byNode: Map<string, string[]>
}

const none: Problems = { all: [], byNode: new Map() }

/** Whether two documents compile alike: same nodes (ids, kinds, configs) and edges; positions do not count. */
function sameStructure(a: EditorDoc, b: EditorDoc): boolean {
  if (a.edges !== b.edges || a.name !== b.name || a.nodes.length !== b.nodes.length) return false
  return a.nodes.every((node, i) => {
    const other = b.nodes[i]!
    return node === other || (node.id === other.id && node.kind === other.kind && node.config === other.config)
  })
}

/**
 * The compiler's verdict on the document, as the user edits. Compiles again only when something
 * that compiles changed, so dragging a node around a large graph costs nothing here.
 */
export function useProblems(doc: EditorDoc): Problems {
  const last = useRef<{ doc: EditorDoc; problems: Problems } | null>(null)
  return useMemo(() => {
    if (last.current && sameStructure(last.current.doc, doc)) return last.current.problems
    const result = compile(toPipelineFile(doc))
    const problems = result.ok ? none : group(result.errors)
    last.current = { doc, problems }
    return problems
  }, [doc])
}

function group(errors: CompileError[]): Problems {
  const byNode = new Map<string, string[]>()
  for (const error of errors) {
    if (!error.nodeId) continue
    byNode.set(error.nodeId, [...(byNode.get(error.nodeId) ?? []), error.message])
  }
  return { all: errors, byNode }
}
