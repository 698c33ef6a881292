import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineNode } from '@/nodes/contract'
import { nodeDefinitions } from '@/nodes/registry'
import { compile } from './compile'
import { describeUpgrade, upgradeConfig } from './migrate'

// version 1 had `path`; version 2 renamed it to `file`; version 3 changed behaviour only; version 4 added `columns`
const readerMigrations = [
  {
    from: 1,
    note: 'renamed "path" to "file"',
    up: ({ path, ...rest }: Record<string, unknown>) => ({ ...rest, file: path }),
    example: { before: { path: 'a.csv', header: true }, after: { file: 'a.csv', header: true } },
  },
  {
    from: 3,
    note: '"header" is now required',
    up: (config: Record<string, unknown>) => ({ header: true, ...config }),
    example: { before: { file: 'a.csv' }, after: { header: true, file: 'a.csv' } },
  },
]

const reader = defineNode({
  kind: 'reader',
  version: 4,
  ports: { in: {}, out: { dataset: 'dataset' } },
  config: z.strictObject({ file: z.string(), columns: z.array(z.string()).default([]), header: z.boolean() }),
  ui: { title: 'Reader', category: 'data', icon: 'file-input', aliases: [], description: 'reads' },
  retry: { attempts: 1, backoffMs: 0 },
  migrations: readerMigrations,
})

const fileWith = (node: Record<string, unknown>) => ({ apiVersion: 'pipewright/v1', name: 'p', nodes: [{ id: 'r', kind: 'reader', ...node }] })
const findNode = (kind: string) => (kind === 'reader' ? reader : undefined)

describe('config migrations', () => {
  it('upgrades a version 1 config through every later migration, in order, and says so', () => {
    const result = compile(fileWith({ version: 1, config: { path: 'x.csv' } }), { findNode })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const [step] = result.plan.steps
    expect(step!.config).toEqual({ file: 'x.csv', header: true, columns: [] })
    expect(step!.upgrade).toEqual({ nodeId: 'r', kind: 'reader', from: 1, to: 4, notes: ['renamed "path" to "file"', '"header" is now required'] })
    expect(describeUpgrade(step!.upgrade!)).toBe('config upgraded from version 1 to 4 of reader: renamed "path" to "file"; "header" is now required')
  })

  it('starts from the file\'s version: a version 2 config only gets the later migration', () => {
    const outcome = upgradeConfig({ id: 'r', kind: 'reader', version: 2, config: { file: 'x.csv' } }, reader)
    expect(outcome).toMatchObject({ ok: true, config: { header: true, file: 'x.csv' }, upgrade: { from: 2, notes: ['"header" is now required'] } })
  })

  it('leaves a current config, or one without a version, as it is', () => {
    for (const version of [4, undefined]) {
      const outcome = upgradeConfig({ id: 'r', kind: 'reader', version, config: { file: 'x', header: false } }, reader)
      expect(outcome).toEqual({ ok: true, config: { file: 'x', header: false } })
    }
  })

  it('refuses a config from a newer Pipewright, pointing at the node\'s version', () => {
    const result = compile(fileWith({ version: 9, config: { file: 'x', header: true } }), { findNode })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors[0]).toMatchObject({ code: 'invalid_config', path: ['nodes', 0, 'version'], nodeId: 'r' })
    expect(result.errors[0]!.message).toMatch(/version 9 of reader, newer than this Pipewright's version 4/)
  })

  it('turns a migration that throws into a config error, not a crash', () => {
    const broken = { ...reader, migrations: [{ ...readerMigrations[0]!, up: () => { throw new Error('no path given') } }] }
    const outcome = upgradeConfig({ id: 'r', kind: 'reader', version: 1, config: {} }, broken)
    expect(outcome).toEqual({ ok: false, message: 'could not be upgraded from version 1 (renamed "path" to "file"): no path given' })
  })

  it('does not change the file it was given', () => {
    const config = { path: 'x.csv' }
    upgradeConfig({ id: 'r', kind: 'reader', version: 1, config }, reader)
    expect(config).toEqual({ path: 'x.csv' })
  })

  it('refuses a version that is not a whole number from 1', () => {
    for (const version of [0, 1.5, -1, '2']) {
      const result = compile(fileWith({ version, config: {} }), { findNode })
      expect(result.ok).toBe(false)
    }
  })

  it('runs every real node kind\'s migrations on their examples (one test per migration)', () => {
    const all = nodeDefinitions.flatMap((definition) => (definition.migrations ?? []).map((migration) => ({ definition, migration })))
    for (const { definition, migration } of [...all, ...readerMigrations.map((migration) => ({ definition: reader, migration }))]) {
      expect(migration.from, `${definition.kind} migration from ${migration.from}`).toBeLessThan(definition.version)
      expect(migration.up(structuredClone(migration.example.before)), `${definition.kind} migration from ${migration.from}`).toEqual(migration.example.after)
    }
  })
})
