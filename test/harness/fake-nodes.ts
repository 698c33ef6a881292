/**
 * Test support: small node definitions shaped like the real ones, so the compiler's tests do
 * not depend on nodes/ (which other people change). Not used by the compiler itself.
 */
import { z } from 'zod'
import { defineNode, type NodeDefinition, type NodeUi } from '@/nodes/contract'
import type { FindNode } from '@/server/compiler/types'

const ui = (title: string): NodeUi => ({ title, category: 'data', icon: 'file-input', aliases: [], description: title })
const retry = { attempts: 3, backoffMs: 1000 }

export const fakeIngest = defineNode({
  kind: 'ingest',
  version: 2,
  ports: { in: {}, out: { dataset: 'dataset' } },
  config: z.object({
    source: z.discriminatedUnion('type', [
      z.object({ type: z.literal('url'), url: z.url() }),
      z.object({ type: z.literal('sample'), name: z.string().min(1) }),
    ]),
    format: z.enum(['csv', 'parquet']).default('csv'),
  }),
  ui: ui('Ingest'),
  retry,
})

const rule = z
  .object({
    column: z.string().min(1),
    rule: z.enum(['between', 'not_null']),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine((r) => r.rule !== 'between' || r.min !== undefined || r.max !== undefined, {
    message: 'give min, max or both',
    path: ['min'],
  })

export const fakeValidate = defineNode({
  kind: 'validate',
  version: 1,
  ports: { in: { dataset: 'dataset' }, out: { clean: 'dataset', quarantine: 'dataset', report: 'report' } },
  config: z.object({ mode: z.enum(['quarantine', 'fail']).default('quarantine'), rules: z.array(rule).default([]) }),
  ui: ui('Validate'),
  retry: { attempts: 1, backoffMs: 0 },
})

export const fakeTrain = defineNode({
  kind: 'train',
  version: 1,
  ports: { in: { train: 'dataset', test: 'dataset', validation: 'dataset' }, out: { model: 'model', metrics: 'report' }, optional: ['validation'] },
  config: z.object({
    target: z.string().min(1),
    epochs: z.number().int().positive().default(10),
    /** a fraction held out, or a column that says which rows are held out */
    holdout: z.union([z.number().min(0).max(1), z.object({ column: z.string() })]).default(0.2),
  }),
  ui: ui('Train'),
  retry,
})

export const fakeDeploy = defineNode({
  kind: 'deploy',
  version: 1,
  ports: { in: { model: 'model' }, out: { deployment: 'deployment' } },
  config: z.strictObject({}),
  ui: ui('Deploy'),
  retry,
})

/** A lookup over the given definitions, like `findNodeDefinition` over the real registry. */
export function fakeRegistry(definitions: readonly NodeDefinition[]): FindNode {
  const byKind = new Map(definitions.map((definition) => [definition.kind, definition]))
  return (kind) => byKind.get(kind)
}

export const findFakeNode = fakeRegistry([fakeIngest, fakeValidate, fakeTrain, fakeDeploy] as NodeDefinition[])
