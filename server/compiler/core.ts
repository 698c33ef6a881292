import type { NodeDefinition, PortType } from '@/nodes/contract'
import { checkEdges, type ConnectedInputs } from './check-edges'
import { orderGraph } from './graph'
import { describeIssues, sentence } from './issues'
import { sortByPath } from './order-errors'
import { readFile, type FileNode } from './read-file'
import { upgradeConfig, type ConfigUpgrade } from './migrate'
import { quote } from './text'
import type { CompileError, CompileResult, FindNode, JobPlan, PlanStep } from './types'

/** A node that takes part in the graph: the first one with its id. */
export interface GraphNode extends FileNode {
  /** position among graph nodes, in file order */
  graph: number
  /** absent when the kind is unknown */
  definition?: NodeDefinition
  /** the parsed config, when it parsed */
  config?: unknown
  /** set when the file's config was written for an older version of the kind */
  upgrade?: ConfigUpgrade
}

/**
 * The compiler with its node lookup made explicit: pure, isomorphic, and it never throws.
 * Use `compile` from `./compile` for the real registry.
 */
export function compilePipeline(input: unknown, findNode: FindNode): CompileResult {
  try {
    return compileOrThrow(input, findNode)
  } catch (error) {
    // a last resort for inputs zod cannot even read (throwing getters, proxies and the like)
    const message = `the pipeline file could not be read (${errorText(error)})`
    return { ok: false, errors: [{ code: 'invalid_file', message, path: [] }] }
  }
}

function compileOrThrow(input: unknown, findNode: FindNode): CompileResult {
  const read = readFile(input)
  const file = read.file
  if (!file) return { ok: false, errors: read.errors }

  const nodeErrors: CompileError[] = []
  const byId = new Map<string, GraphNode>()
  const graphNodes: GraphNode[] = []
  for (const fileNode of file.nodes) {
    const { index, node } = fileNode
    const first = byId.get(node.id)
    if (first) {
      const message = `node id ${quote(node.id)} is used more than once (nodes ${first.index} and ${index}); each node needs its own id`
      nodeErrors.push({ code: 'duplicate_id', message, path: ['nodes', index, 'id'], nodeId: node.id })
    }
    const definition = findNode(node.kind)
    const config = definition ? checkConfig(fileNode, definition, nodeErrors) : undefined
    if (!definition) {
      const message = `node ${quote(node.id)}: there is no node kind ${quote(node.kind)}`
      nodeErrors.push({ code: 'unknown_kind', message, path: ['nodes', index, 'kind'], nodeId: node.id })
    }
    if (!first) {
      const graphNode: GraphNode = { ...fileNode, graph: graphNodes.length, definition, config: config?.value, upgrade: config?.upgrade }
      byId.set(node.id, graphNode)
      graphNodes.push(graphNode)
    }
  }

  const { errors: edgeErrors, connected, graphEdges } = checkEdges(file, byId)
  if (file.edgesComplete) nodeErrors.push(...missingInputs(graphNodes, connected))

  const { order, cycles } = orderGraph(graphNodes.length, graphEdges)
  const cycleErrors = cycles.map((cycle): CompileError => {
    const ids = cycle.nodes.map((graph) => graphNodes[graph]!.node.id)
    const message = `cycle: ${[...ids, ids[0]].join(' → ')}`
    return { code: 'cycle', message, path: ['edges', cycle.closingEdge], nodeId: ids[0]! }
  })

  const errors = [read.errors, nodeErrors, edgeErrors, cycleErrors].flatMap(sortByPath)
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, plan: buildPlan(file.name, order.map((graph) => graphNodes[graph]!), connected) }
}

function checkConfig(fileNode: FileNode, definition: NodeDefinition, errors: CompileError[]): { value: unknown; upgrade?: ConfigUpgrade } | undefined {
  const { index, node } = fileNode
  const upgraded = upgradeConfig(node, definition)
  if (!upgraded.ok) {
    errors.push({ code: 'invalid_config', message: `node ${quote(node.id)}: config ${upgraded.message}`, path: ['nodes', index, 'version'], nodeId: node.id })
    return undefined
  }
  let parsed
  try {
    parsed = definition.config.safeParse(upgraded.config, { reportInput: true })
  } catch (error) {
    const message = `node ${quote(node.id)}: config could not be checked (${errorText(error)})`
    errors.push({ code: 'invalid_config', message, path: ['nodes', index, 'config'], nodeId: node.id })
    return undefined
  }
  if (parsed.success) return { value: parsed.data, upgrade: upgraded.upgrade }
  for (const { path, text } of describeIssues(parsed.error.issues)) {
    const field = path.join('.')
    const subject = field === '' ? `node ${quote(node.id)}: config` : `node ${quote(node.id)}: config field ${quote(field)}`
    const error: CompileError = { code: 'invalid_config', message: sentence(subject, text), path: ['nodes', index, 'config', ...path], nodeId: node.id }
    if (field !== '') error.field = field
    errors.push(error)
  }
  return undefined
}

function missingInputs(graphNodes: readonly GraphNode[], connected: ConnectedInputs): CompileError[] {
  const errors: CompileError[] = []
  for (const { index, node, definition, graph } of graphNodes) {
    if (!definition) continue
    const optional: readonly string[] = definition.ports.optional ?? []
    for (const port of Object.keys(definition.ports.in)) {
      if (connected.get(graph)?.has(port) || optional.includes(port)) continue
      const message = `node ${quote(node.id)} needs an input on port ${quote(port)}`
      errors.push({ code: 'missing_input', message, path: ['nodes', index], nodeId: node.id })
    }
  }
  return errors
}

function buildPlan(name: string, ordered: readonly GraphNode[], connected: ConnectedInputs): JobPlan {
  const position = new Map(ordered.map((graphNode, at) => [graphNode.node.id, at]))
  const steps = ordered.map(({ node, definition, config, graph, upgrade }): PlanStep => {
    const def = definition!
    const inputs: PlanStep['inputs'] = {}
    for (const port of Object.keys(def.ports.in)) {
      const source = connected.get(graph)?.get(port)
      if (source) inputs[port] = { nodeId: source.nodeId, port: source.port } // else an optional port left open
    }
    const upstream = new Set(Object.values(inputs).map((source) => source.nodeId))
    return {
      nodeId: node.id,
      kind: node.kind,
      nodeVersion: def.version,
      config,
      inputs,
      dependsOn: [...upstream].sort((a, b) => position.get(a)! - position.get(b)!),
      outputs: { ...def.ports.out } as Record<string, PortType>,
      retry: { ...def.retry },
      ...(upgrade ? { upgrade } : {}),
    }
  })
  return { name, steps }
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error)
  } catch {
    return 'unknown error'
  }
}
