import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineNode, type NodeDefinition, type Ports } from '@/nodes/contract'
import { compilePipeline } from './core'
import { fakeRegistry } from '@/test/harness/fake-nodes'
import { compileErrorCodes, type CompileError, type CompileResult } from './types'

// Fake kinds with typed ports. `source` offers every port type, so any input can find a producer.
const kinds: NodeDefinition[] = [
  fake('source', {}, { dataset: 'dataset', model: 'model', report: 'report', deployment: 'deployment' }),
  fake('transform', { dataset: 'dataset' }, { dataset: 'dataset', report: 'report' }),
  fake('join', { left: 'dataset', right: 'dataset' }, { dataset: 'dataset' }),
  fake('train', { train: 'dataset' }, { model: 'model', report: 'report' }),
  fake('evaluate', { model: 'model', data: 'dataset' }, { report: 'report' }),
  fake('deploy', { model: 'model' }, { deployment: 'deployment' }),
  fake('monitor', { deployment: 'deployment', reference: 'dataset' }, { report: 'report', dataset: 'dataset' }),
]
const findNode = fakeRegistry(kinds)
const compile = (input: unknown) => compilePipeline(input, findNode)

function fake(kind: string, inputs: Ports, outputs: Ports): NodeDefinition {
  return defineNode({
    kind,
    version: 1,
    ports: { in: inputs, out: outputs },
    config: z.object({ n: z.number().int().default(0) }),
    ui: { title: kind, category: 'data', icon: 'file-input', aliases: [], description: kind },
    retry: { attempts: 1, backoffMs: 0 },
  })
}

interface Edge {
  from: string
  to: string
}
interface Dag {
  nodes: { id: string; kind: string; config?: { n: number } }[]
  edges: Edge[]
  /** generation order: every edge goes from an earlier to a later node here */
  generated: string[]
}

/** A random DAG: node i takes each input from an earlier node with that output; then both lists are shuffled. */
const dagArb: fc.Arbitrary<Dag> = fc
  .record({
    specs: fc.array(
      fc.record({ kind: fc.nat(), picks: fc.array(fc.nat(), { minLength: 2, maxLength: 2 }), n: fc.option(fc.integer()) }),
      { minLength: 1, maxLength: 30 },
    ),
    nodeKeys: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
    edgeKeys: fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
  })
  .map(({ specs, nodeKeys, edgeKeys }) => {
    const nodes: Dag['nodes'] = []
    const edges: Edge[] = []
    specs.forEach((spec, i) => {
      const definition = i === 0 ? kinds[0]! : kinds[spec.kind % kinds.length]!
      const id = `n${i}`
      Object.entries(definition.ports.in).forEach(([port, type], p) => {
        const producers = nodes.flatMap((node) =>
          Object.entries(findNode(node.kind)!.ports.out)
            .filter(([, out]) => out === type)
            .map(([out]) => `${node.id}.${out}`),
        )
        edges.push({ from: producers[spec.picks[p]! % producers.length]!, to: `${id}.${port}` })
      })
      nodes.push(spec.n === null ? { id, kind: definition.kind } : { id, kind: definition.kind, config: { n: spec.n } })
    })
    const generated = nodes.map((node) => node.id)
    return { nodes: shuffle(nodes, nodeKeys), edges: shuffle(edges, edgeKeys), generated }
  })

function shuffle<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i] ?? 0, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map(({ item }) => item)
}

const toFile = (dag: Pick<Dag, 'nodes' | 'edges'>) => ({ apiVersion: 'pipewright/v1', name: 'random-dag', nodes: dag.nodes, edges: dag.edges })
const nodeOf = (ref: string) => ref.split('.')[0]!

/** Whatever came in, the answer has the promised shape. */
function expectWellFormed(result: CompileResult): void {
  if (result.ok) {
    const seen = new Set<string>()
    for (const step of result.plan.steps) {
      for (const up of step.dependsOn) expect(seen.has(up)).toBe(true)
      seen.add(step.nodeId)
    }
    return
  }
  expect(result.errors.length).toBeGreaterThan(0)
  for (const error of result.errors as CompileError[]) {
    expect(compileErrorCodes).toContain(error.code)
    expect(error.message).toMatch(/\S/)
    // no leaked internals (values the user typed, in quotes, may say anything)
    expect(error.message.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/\[object |undefined/)
    expect(error.path.every((part) => typeof part === 'string' || typeof part === 'number')).toBe(true)
    if (error.nodeId !== undefined) expect(typeof error.nodeId).toBe('string')
    if (error.field !== undefined) expect(typeof error.field).toBe('string')
  }
}

describe('compile never throws', () => {
  it('on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => expectWellFormed(compile(value))), { numRuns: 500 })
  })

  it('on arbitrary JavaScript values', () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    })
    fc.assert(fc.property(anything, (value) => expectWellFormed(compile(value))), { numRuns: 500 })
  })

  it('on pipeline-shaped garbage', () => {
    const word = fc.constantFrom('load', 'n0', 'n1', 'dataset', 'model', '__proto__', 'constructor', 'toString', '', 'x.y', 'n0.dataset', 'n1.model')
    const garbage = fc.record({
      apiVersion: fc.oneof(fc.constant('pipewright/v1'), fc.jsonValue()),
      name: fc.oneof(fc.constant('ok-name'), fc.jsonValue()),
      nodes: fc.array(fc.oneof(fc.record({ id: word, kind: fc.constantFrom(...kinds.map((k) => k.kind), 'nope', '__proto__'), config: fc.jsonValue() }), fc.jsonValue())),
      edges: fc.array(fc.oneof(fc.record({ from: word, to: word }), fc.jsonValue())),
    })
    fc.assert(fc.property(garbage, (value) => expectWellFormed(compile(value))), { numRuns: 500 })
  })

  it('on valid files with random mutations', () => {
    const mutation = fc.record({
      at: fc.nat(),
      how: fc.constantFrom('replace', 'remove', 'duplicate', 'rename'),
      value: fc.jsonValue({ maxDepth: 2 }),
      word: fc.constantFrom('n0', 'n1.dataset', 'n2.model', 'constructor', '__proto__', 'source', 'x', ''),
    })
    fc.assert(
      fc.property(dagArb, fc.array(mutation, { minLength: 1, maxLength: 4 }), (dag, mutations) => {
        const file: unknown = structuredClone(toFile(dag))
        for (const m of mutations) mutate(file, m)
        expectWellFormed(compile(file))
      }),
      { numRuns: 300 },
    )
  })

  it('on deep nesting and hostile objects', () => {
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expectWellFormed(compile(deep))
    expectWellFormed(compile({ apiVersion: 'pipewright/v1', name: 'deep', nodes: [{ id: 'a', kind: 'source', config: { n: deep } }], ui: { deep } }))
    const hostile = { apiVersion: 'pipewright/v1', name: 'x', get nodes(): unknown { throw new Error('boom') } }
    const result = compile(hostile)
    expect(result).toEqual({ ok: false, errors: [{ code: 'invalid_file', path: [], message: 'the pipeline file could not be read (boom)' }] })
  })
})

type Json = unknown
function mutate(root: Json, m: { at: number; how: string; value: Json; word: string }): void {
  const places: { parent: Record<string, Json> | Json[]; key: string | number }[] = []
  const walk = (value: Json) => {
    if (value === null || typeof value !== 'object') return
    for (const [key, child] of Object.entries(value)) {
      places.push({ parent: value as Record<string, Json>, key: Array.isArray(value) ? Number(key) : key })
      walk(child)
    }
  }
  walk(root)
  const place = places[m.at % Math.max(places.length, 1)]
  if (!place) return
  const { parent, key } = place
  const current = (parent as Record<string | number, Json>)[key]
  if (m.how === 'replace') (parent as Record<string | number, Json>)[key] = m.value
  else if (m.how === 'rename') (parent as Record<string | number, Json>)[key] = m.word
  else if (m.how === 'remove') {
    if (Array.isArray(parent)) parent.splice(key as number, 1)
    else delete parent[key as string]
  } else if (Array.isArray(parent)) parent.push(structuredClone(current))
  else (parent as Record<string, Json>)[m.word] = structuredClone(current)
}

describe('random acyclic pipelines', () => {
  it('always compile; the plan holds every node once and runs each after its inputs, ties in file order', () => {
    fc.assert(
      fc.property(dagArb, (dag) => {
        const result = compile(toFile(dag))
        if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'))
        const steps = result.plan.steps
        const position = new Map(steps.map((step, at) => [step.nodeId, at]))
        expect(steps.map((s) => s.nodeId).sort()).toEqual(dag.nodes.map((n) => n.id).sort())
        for (const edge of dag.edges) expect(position.get(nodeOf(edge.from))!).toBeLessThan(position.get(nodeOf(edge.to))!)
        for (const step of steps) {
          for (const up of step.dependsOn) expect(position.get(up)!).toBeLessThan(position.get(step.nodeId)!)
          const fed = dag.edges.filter((e) => nodeOf(e.to) === step.nodeId).map((e) => nodeOf(e.from))
          expect(new Set(step.dependsOn)).toEqual(new Set(fed))
          expect(step.dependsOn).toHaveLength(new Set(fed).size)
          for (const [port, source] of Object.entries(step.inputs)) {
            expect(dag.edges).toContainEqual({ from: `${source.nodeId}.${source.port}`, to: `${step.nodeId}.${port}` })
          }
          const node = dag.nodes.find((n) => n.id === step.nodeId)!
          expect(step.config).toEqual({ n: node.config?.n ?? 0 })
        }
        // each step is the earliest-listed of the steps whose inputs were all ready
        const fileIndex = new Map(dag.nodes.map((n, i) => [n.id, i]))
        const done = new Set<string>()
        for (const step of steps) {
          const ready = dag.nodes.filter(
            (n) => !done.has(n.id) && dag.edges.every((e) => nodeOf(e.to) !== n.id || done.has(nodeOf(e.from))),
          )
          expect(fileIndex.get(step.nodeId)).toBe(Math.min(...ready.map((n) => fileIndex.get(n.id)!)))
          done.add(step.nodeId)
        }
        expect(compile(structuredClone(toFile(dag)))).toEqual(result)
      }),
      { numRuns: 300 },
    )
  })
})

describe('closing a loop', () => {
  it('always yields exactly one cycle error that names the loop', () => {
    const arb = fc.tuple(dagArb, fc.nat(), fc.nat())
    fc.assert(
      fc.property(arb, ([dag, pickEdge, pickNode]) => {
        // Re-point an edge into u so it comes from a node v downstream of u (or u itself):
        // every input keeps exactly one edge of the right type, and the only fault is the loop.
        const candidates = dag.edges.flatMap((edge, index) => {
          const u = nodeOf(edge.to)
          const type = findNode(dag.nodes.find((n) => n.id === u)!.kind)!.ports.in[edge.to.split('.')[1]!]
          return [...downstream(dag.edges, u)].flatMap((v) => {
            const outs = Object.entries(findNode(dag.nodes.find((n) => n.id === v)!.kind)!.ports.out)
            return outs.filter(([, t]) => t === type).map(([port]) => ({ index, u, v, from: `${v}.${port}` }))
          })
        })
        fc.pre(candidates.length > 0)
        // self-loops are the easy case: mostly pick a longer loop when there is one
        const longer = candidates.filter((c) => c.u !== c.v)
        const pool = pickNode % 4 !== 0 && longer.length > 0 ? longer : candidates
        const choice = pool[pickEdge % pool.length]!
        const edges = dag.edges.map((edge, index) => (index === choice.index ? { ...edge, from: choice.from } : edge))
        const result = compile(toFile({ nodes: dag.nodes, edges }))

        expect(result.ok).toBe(false)
        const errors = result.ok ? [] : result.errors
        expect(errors).toHaveLength(1)
        const [error] = errors
        expect(error!.code).toBe('cycle')
        const loop = error!.message.replace(/^cycle: /, '').split(' → ')
        expect(loop[0]).toBe(loop[loop.length - 1])
        expect(loop).toContain(choice.u)
        expect(loop).toContain(choice.v)
        expect(error!.nodeId).toBe(loop[0])
        for (let i = 0; i + 1 < loop.length; i++) {
          expect(edges.some((e) => nodeOf(e.from) === loop[i] && nodeOf(e.to) === loop[i + 1])).toBe(true)
        }
        const closing = edges[error!.path[1] as number]!
        expect([nodeOf(closing.from), nodeOf(closing.to)]).toEqual([loop[loop.length - 2], loop[0]])
      }),
      { numRuns: 300 },
    )
  })
})

function downstream(edges: readonly Edge[], start: string): Set<string> {
  const seen = new Set([start])
  const stack = [start]
  while (stack.length > 0) {
    const node = stack.pop()!
    for (const edge of edges) {
      const to = nodeOf(edge.to)
      if (nodeOf(edge.from) === node && !seen.has(to)) {
        seen.add(to)
        stack.push(to)
      }
    }
  }
  return seen
}
