import { describe, expect, it } from 'vitest'
import { compilePipeline } from './core'
import { findFakeNode } from '@/test/harness/fake-nodes'
import type { CompileError, CompileResult } from './types'

const compile = (input: unknown) => compilePipeline(input, findFakeNode)

/** A realistic, valid pipeline over the fake kinds; each test breaks one thing. */
function penguins() {
  return {
    apiVersion: 'pipewright/v1',
    name: 'penguin-species',
    nodes: [
      { id: 'load', kind: 'ingest', config: { source: { type: 'url', url: 'https://example.org/p.csv' } } },
      { id: 'check', kind: 'validate', config: { rules: [{ column: 'bill_length_mm', rule: 'between', min: 20, max: 80 }] } },
      { id: 'fit', kind: 'train', config: { target: 'species' } },
      { id: 'ship', kind: 'deploy' },
    ] as { id: string; kind: string; config?: Record<string, unknown> }[],
    edges: [
      { from: 'load.dataset', to: 'check.dataset' },
      { from: 'check.clean', to: 'fit.train' },
      { from: 'check.quarantine', to: 'fit.test' },
      { from: 'fit.model', to: 'ship.model' },
    ],
  }
}

function errorsOf(result: CompileResult): CompileError[] {
  if (result.ok) throw new Error('expected the file to be refused')
  return result.errors
}

/** The only error, checked to read like a sentence for people (no zod jargon). */
function onlyError(input: unknown): CompileError {
  const errors = errorsOf(compile(input))
  expect(errors).toHaveLength(1)
  const [error] = errors
  expect(error!.message).not.toMatch(/Invalid input|expected \w+, received|undefined|\[object/)
  return error!
}

describe('the example pipeline', () => {
  it('compiles', () => {
    expect(compile(penguins()).ok).toBe(true)
  })
})

describe('each error code', () => {
  it('invalid_file: a name that is not a slug', () => {
    const file = { ...penguins(), name: 'Penguin Species' }
    expect(onlyError(file)).toEqual({
      code: 'invalid_file',
      path: ['name'],
      message: 'field "name" must be lower-case letters, digits and "-", e.g. "penguin-species" (got "Penguin Species")',
    })
  })

  it('invalid_file: not an object at all', () => {
    expect(onlyError(42)).toMatchObject({ code: 'invalid_file', path: [], message: 'the pipeline file must be an object (got 42)' })
    expect(onlyError(null)).toMatchObject({ code: 'invalid_file', path: [] })
  })

  it('invalid_file: a malformed edge end and a missing field name the place', () => {
    const file = penguins()
    file.edges[1]!.to = 'fit'
    const { apiVersion: _dropped, ...rest } = file
    const errors = errorsOf(compile(rest))
    expect(errors.map((e) => [e.code, e.path, e.message])).toEqual([
      ['invalid_file', ['apiVersion'], 'field "apiVersion" is required'],
      ['invalid_file', ['edges', 1, 'to'], 'field "edges[1].to" must look like "<nodeId>.<port>", e.g. "load.dataset" (got "fit")'],
    ])
  })

  it('invalid_file: a malformed node carries its id when it has a valid one', () => {
    const file = penguins()
    file.nodes[2]!.kind = ''
    expect(onlyError(file)).toMatchObject({ code: 'invalid_file', path: ['nodes', 2, 'kind'], nodeId: 'fit', message: 'field "nodes[2].kind" must not be empty' })
  })

  it('unknown_kind', () => {
    const file = penguins()
    file.nodes[2]!.kind = 'trian'
    expect(onlyError(file)).toEqual({
      code: 'unknown_kind',
      path: ['nodes', 2, 'kind'],
      nodeId: 'fit',
      message: 'node "fit": there is no node kind "trian"',
    })
  })

  it('invalid_config: a wrong type deep in a list', () => {
    const file = penguins()
    file.nodes[1]!.config = { rules: [{ column: 'bill_length_mm', rule: 'between', min: '20', max: 80 }] }
    expect(onlyError(file)).toEqual({
      code: 'invalid_config',
      path: ['nodes', 1, 'config', 'rules', 0, 'min'],
      nodeId: 'check',
      field: 'rules.0.min',
      message: 'node "check": config field "rules.0.min" must be a number (got "20")',
    })
  })

  it('invalid_config: every problem of a config, in schema order', () => {
    const file = penguins()
    file.nodes[0]!.config = { source: { type: 'ftp' }, format: 'xls' }
    file.nodes[2]!.config = { epochs: 2.5 }
    const errors = errorsOf(compile(file))
    expect(errors.map((e) => [e.nodeId, e.field, e.message])).toEqual([
      ['load', 'source.type', 'node "load": config field "source.type" must be one of "url" or "sample" (got "ftp")'],
      ['load', 'format', 'node "load": config field "format" must be one of "csv" or "parquet" (got "xls")'],
      ['fit', 'target', 'node "fit": config field "target" is required'],
      ['fit', 'epochs', 'node "fit": config field "epochs" must be a whole number (got 2.5)'],
    ])
  })

  it('invalid_config: a union explains the form that nearly fit', () => {
    const messages = [2, { column: 3 }, 'x'].map((holdout) => {
      const file = penguins()
      file.nodes[2]!.config = { target: 'species', holdout }
      return onlyError(file).message
    })
    expect(messages).toEqual([
      'node "fit": config field "holdout" must be at most 1 (got 2)',
      'node "fit": config field "holdout.column" must be a string (got 3)',
      'node "fit": config field "holdout" must be a number or an object (got "x")',
    ])
  })

  it('invalid_config: unknown settings of a strict config, one by one', () => {
    const file = penguins()
    file.nodes[3]!.config = { replicas: 2, canary: true }
    const errors = errorsOf(compile(file))
    expect(errors.map((e) => [e.path, e.field, e.message])).toEqual([
      [['nodes', 3, 'config', 'replicas'], 'replicas', 'node "ship": config field "replicas" is not a known field'],
      [['nodes', 3, 'config', 'canary'], 'canary', 'node "ship": config field "canary" is not a known field'],
    ])
  })

  it('invalid_config: bounds say which', () => {
    const file = penguins()
    file.nodes[2]!.config = { target: 'species', epochs: 0 }
    expect(onlyError(file).message).toBe('node "fit": config field "epochs" must be greater than 0 (got 0)')
  })

  it('invalid_config: a refinement speaks in its own words', () => {
    const file = penguins()
    file.nodes[1]!.config = { rules: [{ column: 'bill_length_mm', rule: 'between' }] }
    expect(onlyError(file)).toMatchObject({
      field: 'rules.0.min',
      message: 'node "check": config field "rules.0.min": give min, max or both',
    })
  })

  it('one problem per field: an empty name is not also "not lower-case"', () => {
    expect(onlyError({ ...penguins(), name: '' })).toMatchObject({ path: ['name'], message: 'field "name" must not be empty' })
  })

  it('duplicate_id', () => {
    const file = penguins()
    file.nodes.push({ id: 'check', kind: 'validate', config: {} })
    expect(onlyError(file)).toEqual({
      code: 'duplicate_id',
      path: ['nodes', 4, 'id'],
      nodeId: 'check',
      message: 'node id "check" is used more than once (nodes 1 and 4); each node needs its own id',
    })
  })

  it('dangling_edge', () => {
    const file = penguins()
    file.edges[0]!.from = 'lod.dataset'
    const errors = errorsOf(compile(file))
    // the input stays connected (to a node that does not exist): no second, confusing error
    expect(errors).toEqual([
      {
        code: 'dangling_edge',
        path: ['edges', 0, 'from'],
        message: 'edge 0 "lod.dataset" → "check.dataset": there is no node "lod" (did you mean "load"?)',
      },
    ])
  })

  it('unknown_port', () => {
    const file = penguins()
    file.edges[0]!.from = 'load.data'
    expect(onlyError(file)).toEqual({
      code: 'unknown_port',
      path: ['edges', 0, 'from'],
      nodeId: 'load',
      message: 'edge 0 "load.data" → "check.dataset": node "load" has no output port "data" (it has: dataset)',
    })
  })

  it('unknown_port: an input used as an output says so', () => {
    const file = penguins()
    file.edges.push({ from: 'fit.train', to: 'ship.model' })
    const errors = errorsOf(compile(file))
    expect(errors[0]).toMatchObject({
      code: 'unknown_port',
      path: ['edges', 4, 'from'],
      message: 'edge 4 "fit.train" → "ship.model": node "fit" has no output port "train" (it has: model, metrics; "train" is an input port)',
    })
  })

  it('port_type_mismatch', () => {
    const file = penguins()
    file.edges[1]!.from = 'check.report'
    expect(onlyError(file)).toEqual({
      code: 'port_type_mismatch',
      path: ['edges', 1],
      nodeId: 'fit',
      message: 'edge 1 "check.report" → "fit.train" connects a report to a dataset input',
    })
  })

  it('missing_input', () => {
    const file = penguins()
    file.edges.splice(2, 1)
    expect(onlyError(file)).toEqual({
      code: 'missing_input',
      path: ['nodes', 2],
      nodeId: 'fit',
      message: 'node "fit" needs an input on port "test"',
    })
  })

  it('input_has_many_edges', () => {
    const file = penguins()
    file.edges.push({ from: 'check.clean', to: 'fit.test' })
    expect(onlyError(file)).toEqual({
      code: 'input_has_many_edges',
      path: ['edges', 4, 'to'],
      nodeId: 'fit',
      message:
        'edge 4 "check.clean" → "fit.test": input "fit.test" already has an edge (edge 2 from "check.quarantine"); an input port takes exactly one edge',
    })
  })

  it('cycle', () => {
    const file = {
      apiVersion: 'pipewright/v1',
      name: 'loop',
      nodes: ['a', 'b', 'c'].map((id) => ({ id, kind: 'validate' })),
      edges: [
        { from: 'a.clean', to: 'b.dataset' },
        { from: 'b.clean', to: 'c.dataset' },
        { from: 'c.clean', to: 'a.dataset' },
      ],
    }
    expect(onlyError(file)).toEqual({ code: 'cycle', path: ['edges', 2], nodeId: 'a', message: 'cycle: a → b → c → a' })
  })

  it('cycle: a node feeding itself', () => {
    const file = { apiVersion: 'pipewright/v1', name: 'me', nodes: [{ id: 'me', kind: 'validate' }], edges: [{ from: 'me.clean', to: 'me.dataset' }] }
    expect(onlyError(file)).toMatchObject({ code: 'cycle', path: ['edges', 0], message: 'cycle: me → me' })
  })
})

describe('many errors at once', () => {
  it('reports all of them: file shape, then nodes in file order, then edges, then cycles', () => {
    const file = penguins()
    file.name = 'Bad Name'
    file.nodes[2]!.config = { target: '' }
    file.nodes[0]!.kind = 'ingets'
    file.nodes.push({ id: 'again', kind: 'validate' }, { id: 'again2', kind: 'validate' })
    file.edges.push(
      { from: 'again.clean', to: 'again2.dataset' },
      { from: 'again2.clean', to: 'again.dataset' },
      { from: 'nowhere.x', to: 'ship.model' },
    )
    const errors = errorsOf(compile(file))
    expect(errors.map((e) => [e.code, e.path])).toEqual([
      ['invalid_file', ['name']],
      ['unknown_kind', ['nodes', 0, 'kind']],
      ['invalid_config', ['nodes', 2, 'config', 'target']],
      ['dangling_edge', ['edges', 6, 'from']],
      ['input_has_many_edges', ['edges', 6, 'to']],
      ['cycle', ['edges', 5]],
    ])
  })

  it('a malformed edge does not also make its input look missing', () => {
    const file = penguins()
    file.edges[2]!.to = 'fit test'
    const errors = errorsOf(compile(file))
    expect(errors.map((e) => e.code)).toEqual(['invalid_file'])
  })

  it('a malformed node does not make the edges to it dangle', () => {
    const file = penguins()
    file.nodes[3]!.config = 'none' as never
    const errors = errorsOf(compile(file))
    expect(errors.map((e) => [e.code, e.path])).toEqual([['invalid_file', ['nodes', 3, 'config']]])
  })

  it('is the same every time', () => {
    const file = penguins()
    file.edges.reverse()
    file.nodes[1]!.config = { mode: 'loud' }
    expect(compile(file)).toEqual(compile(structuredClone(file)))
  })

  it('does not confuse names with what objects inherit', () => {
    const file = penguins()
    file.edges[0]!.from = 'load.constructor'
    file.edges[1]!.to = 'fit.__proto__'
    file.nodes[3]!.kind = 'toString'
    const codes = errorsOf(compile(file)).map((e) => e.code)
    expect(codes).toEqual(['missing_input', 'unknown_kind', 'unknown_port', 'unknown_port'])
  })
})
