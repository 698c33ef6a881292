'use client'
import { compile, type CompileError } from '@/server/compiler/compile'
import { toPipelineFile, type EditorDoc } from './document'
import { useEditor } from './store'

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

let last: { doc: EditorDoc; problems: Problems } | null = null

/**
 * The compiler's verdict on a document. Compiles again only when something that compiles
 * changed, and returns the very same object otherwise, so a drag neither compiles nor
 * re-renders anything that shows problems.
 */
export function problemsOf(doc: EditorDoc): Problems {
  if (last && (last.doc === doc || sameStructure(last.doc, doc))) {
    last = { doc, problems: last.problems }
    return last.problems
  }
  const result = compile(toPipelineFile(doc))
  const problems = result.ok ? none : group(result.errors)
  last = { doc, problems }
  return problems
}

export function useProblems(): Problems {
  return useEditor((s) => problemsOf(s.history.present))
}

function group(errors: CompileError[]): Problems {
  const byNode = new Map<string, string[]>()
  for (const error of errors) {
    if (!error.nodeId) continue
    byNode.set(error.nodeId, [...(byNode.get(error.nodeId) ?? []), error.message])
  }
  return { all: errors, byNode }
}
