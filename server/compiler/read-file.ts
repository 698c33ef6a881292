import type { z } from 'zod'
import { describeIssues, sentence } from './issues'
import { maxEdges, maxNodes, nodeId as nodeIdSchema, pipelineEdge, pipelineFile, pipelineNode, type PipelineEdge, type PipelineNode } from './pipeline-file'
import { formatPath } from './text'
import type { CompileError } from './types'

export interface FileNode {
  /** position in the file's `nodes` list */
  index: number
  node: PipelineNode
}

export interface FileEdge {
  /** position in the file's `edges` list */
  index: number
  edge: PipelineEdge
}

/** The parts of a pipeline file that are well-formed enough to check further. */
export interface ReadableFile {
  name: string
  nodes: FileNode[]
  edges: FileEdge[]
  /** ids of nodes that are themselves malformed: edges to them are not called dangling */
  brokenIds: Set<string>
  /** every edge was well-formed, so an input without one really has none */
  edgesComplete: boolean
}

/**
 * Check the file's shape. Shape errors do not stop the other checks: the well-formed nodes
 * and edges of a partly broken file are still returned, so the canvas can show every problem
 * at once. Returns no file when there is nothing sensible to check further.
 */
export function readFile(input: unknown): { errors: CompileError[]; file?: ReadableFile } {
  const parsed = pipelineFile.safeParse(input, { reportInput: true })
  if (parsed.success) {
    const { name, nodes, edges } = parsed.data
    return {
      errors: [],
      file: {
        name,
        nodes: nodes.map((node, index) => ({ index, node })),
        edges: edges.map((edge, index) => ({ index, edge })),
        brokenIds: new Set(),
        edgesComplete: true,
      },
    }
  }
  const errors = shapeErrors(parsed.error.issues, input)
  return { errors, file: readLeniently(input) }
}

function readLeniently(input: unknown): ReadableFile | undefined {
  if (!isRecord(input)) return undefined
  const rawNodes = input.nodes
  const rawEdges = input.edges ?? []
  if (!Array.isArray(rawNodes) || !Array.isArray(rawEdges)) return undefined
  if (rawNodes.length > maxNodes || rawEdges.length > maxEdges) return undefined
  const file: ReadableFile = {
    name: typeof input.name === 'string' ? input.name : '',
    nodes: [],
    edges: [],
    brokenIds: new Set(),
    edgesComplete: true,
  }
  rawNodes.forEach((raw, index) => {
    const node = pipelineNode.safeParse(raw)
    if (node.success) file.nodes.push({ index, node: node.data })
    else if (isRecord(raw) && typeof raw.id === 'string') file.brokenIds.add(raw.id)
  })
  rawEdges.forEach((raw, index) => {
    const edge = pipelineEdge.safeParse(raw)
    if (edge.success) file.edges.push({ index, edge: edge.data })
    else file.edgesComplete = false
  })
  return file
}

function shapeErrors(issues: readonly z.core.$ZodIssue[], input: unknown): CompileError[] {
  return describeIssues(issues).map(({ path, text }) => {
    const subject = path.length === 0 ? 'the pipeline file' : `field ${JSON.stringify(formatPath(path))}`
    const error: CompileError = { code: 'invalid_file', message: sentence(subject, text), path }
    const nodeId = nodeIdAt(input, path)
    if (nodeId !== undefined) error.nodeId = nodeId
    return error
  })
}

/** The id of the node a path points into, when that node has a valid one. */
function nodeIdAt(input: unknown, path: readonly (string | number)[]): string | undefined {
  if (path[0] !== 'nodes' || typeof path[1] !== 'number' || !isRecord(input) || !Array.isArray(input.nodes)) return undefined
  const node: unknown = input.nodes[path[1]]
  if (!isRecord(node)) return undefined
  const id = nodeIdSchema.safeParse(node.id)
  return id.success ? id.data : undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
