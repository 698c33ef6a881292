import type { NodeDefinition, PortType, RetryPolicy } from '@/nodes/contract'
import type { ConfigUpgrade } from './migrate'

/** Every reason the compiler can refuse a pipeline file. */
export const compileErrorCodes = [
  'invalid_file',
  'unknown_kind',
  'invalid_config',
  'duplicate_id',
  'dangling_edge',
  'unknown_port',
  'port_type_mismatch',
  'missing_input',
  'input_has_many_edges',
  'cycle',
] as const
export type CompileErrorCode = (typeof compileErrorCodes)[number]

export interface CompileError {
  code: CompileErrorCode
  /** plain words, naming the node and field, e.g. `node "check": config field "rules.0.min" must be a number` */
  message: string
  /** JSON path into the pipeline file, e.g. `['nodes', 1, 'config', 'rules', 0, 'min']` */
  path: (string | number)[]
  /** the node the error is about, when there is one */
  nodeId?: string
  /** for `invalid_config`: the dotted config field, e.g. `rules.0.min` (absent when the whole config is at fault) */
  field?: string
}

/** Where a step's input comes from: an output port of an earlier step. */
export interface StepSource {
  nodeId: string
  port: string
}

export interface PlanStep {
  nodeId: string
  kind: string
  nodeVersion: number
  /** the node's config parsed by its definition's schema: defaults filled in (`z.output`) */
  config: unknown
  /** input port → the output that feeds it; every declared input port has exactly one */
  inputs: Record<string, StepSource>
  /** the distinct upstream node ids, in plan order */
  dependsOn: string[]
  outputs: Record<string, PortType>
  retry: RetryPolicy
  /** the config was written for an older version of the kind and upgraded by its migrations */
  upgrade?: ConfigUpgrade
}

export interface JobPlan {
  name: string
  /** a topological order (every step after everything it depends on), ties broken by file order */
  steps: PlanStep[]
}

export type CompileResult = { ok: true; plan: JobPlan } | { ok: false; errors: CompileError[] }

/** How the compiler finds a node kind's definition; the real registry by default. */
export type FindNode = (kind: string) => NodeDefinition | undefined

export interface CompileOptions {
  /** @defaultValue `findNodeDefinition` from `nodes/registry` */
  findNode?: FindNode
}
