import type { NodeDefinition } from './contract'
import { augment } from './augment/definition'
import { deploy } from './deploy/definition'
import { evaluate } from './evaluate/definition'
import { ingest } from './ingest/definition'
import { split } from './split/definition'
import { trainHandoff } from './train-handoff/definition'
import { transform } from './transform/definition'
import { validate } from './validate/definition'

/** Every node kind the product offers: an explicit list. Only built kinds belong here. */
export const nodeDefinitions = [ingest, validate, transform, split, augment, trainHandoff, evaluate, deploy] as const

export type AnyNodeDefinition = (typeof nodeDefinitions)[number]
export type NodeKind = AnyNodeDefinition['kind']

const byKind = new Map<string, NodeDefinition>(nodeDefinitions.map((d) => [d.kind, d as NodeDefinition]))

export function findNodeDefinition(kind: string): NodeDefinition | undefined {
  return byKind.get(kind)
}
