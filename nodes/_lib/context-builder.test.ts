import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineNode, type InputArtifact, type StepContext, type Ports } from '../contract'
import { buildStepContext, typedContext } from './context-builder'
import { emptyRegistry } from './test-context'

const fit = defineNode({
  kind: 'fit',
  version: 1,
  ports: { in: { train: 'dataset', validation: 'dataset' }, out: { model: 'model' }, optional: ['validation'] },
  config: z.object({ epochs: z.int().positive().default(3) }),
  ui: { title: 'Fit', category: 'model', icon: 'file-input', aliases: [], description: 'Fit' },
  retry: { attempts: 1, backoffMs: 0 },
})

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'context-builder-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

const artifact = (id: string): InputArtifact => ({ id, kind: 'dataset', path: `/tmp/${id}.parquet`, filename: null, rowCount: 1, schema: [] })

function untyped(config: unknown, inputs: Record<string, InputArtifact>): StepContext<unknown, Ports, Ports> {
  const controller = new AbortController()
  return buildStepContext(
    { scratchDir: scratch, samplesDir: '/tmp', outbound: { allow: [] }, signal: controller.signal, resolveArtifact: async () => artifact('x'), readBlob: async () => Buffer.alloc(0), registry: emptyRegistry, openHandoff: async () => { throw new Error('no handoffs here') }, log: () => {}, onProgress: () => {}, onCurve: () => {} },
    config,
    inputs,
  ).context
}

describe('the context an executor gets', () => {
  it('parses the config with its defaults and passes the inputs through', () => {
    const ctx = typedContext(fit, untyped({}, { train: artifact('t'), validation: artifact('v') }))
    expect(ctx.config).toEqual({ epochs: 3 })
    expect(ctx.inputs.validation?.id).toBe('v')
  })

  it('runs without an optional input, and refuses a missing required one by name', () => {
    expect(typedContext(fit, untyped({}, { train: artifact('t') })).inputs.validation).toBeUndefined()
    expect(() => typedContext(fit, untyped({}, { validation: artifact('v') }))).toThrow('The fit step has no input on train.')
  })

  it('refuses a config that breaks its schema, naming the field', () => {
    expect(() => typedContext(fit, untyped({ epochs: 0 }, { train: artifact('t') }))).toThrow(/config is invalid at epochs/)
  })
})
