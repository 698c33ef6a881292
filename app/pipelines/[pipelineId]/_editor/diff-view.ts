import type { PipelineFile } from '@/server/compiler/pipeline-file'
import { diffPipelines, type PipelineDiff } from '@/server/pipelines/diff'
import { edgeId, fromPipelineFile, type EditorDoc } from './document'

export type DiffMark = 'added' | 'removed' | 'changed' | 'moved'

export interface DiffView {
  before: number
  after: number
  diff: PipelineDiff
  /** both versions on one canvas: the later one, plus what it removed where it used to be */
  doc: EditorDoc
  nodeMarks: Map<string, DiffMark>
  edgeMarks: Map<string, 'added' | 'removed'>
}

export function buildDiffView(before: { version: number; file: PipelineFile }, after: { version: number; file: PipelineFile }): DiffView {
  const diff = diffPipelines(before.file, after.file)
  const older = fromPipelineFile(before.file)
  const newer = fromPipelineFile(after.file)
  const removedNodes = new Set(diff.nodes.removed)
  const removedEdges = new Set(diff.edges.removed)
  const doc: EditorDoc = {
    ...newer,
    nodes: [...newer.nodes, ...older.nodes.filter((n) => removedNodes.has(n.id))],
    edges: [...newer.edges, ...older.edges.filter((e) => removedEdges.has(edgeId(e)))],
  }
  const nodeMarks = new Map<string, DiffMark>()
  for (const id of diff.nodes.added) nodeMarks.set(id, 'added')
  for (const id of diff.nodes.removed) nodeMarks.set(id, 'removed')
  for (const change of diff.nodes.changed) nodeMarks.set(change.id, 'changed')
  for (const id of diff.nodes.moved) if (!nodeMarks.has(id)) nodeMarks.set(id, 'moved')
  const edgeMarks = new Map<string, 'added' | 'removed'>()
  for (const id of diff.edges.added) edgeMarks.set(id, 'added')
  for (const id of diff.edges.removed) edgeMarks.set(id, 'removed')
  return { before: before.version, after: after.version, diff, doc, nodeMarks, edgeMarks }
}
