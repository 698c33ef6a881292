import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, stepCacheKey, type StepCacheKeyInput } from './cache-key'

describe('canonicalJson', () => {
  it('sorts object keys at every depth and leaves list order alone', () => {
    expect(canonicalJson({ b: 1, a: [3, { d: [2, 1], c: null }], e: {} })).toBe('{"a":[3,{"c":null,"d":[2,1]}],"b":1,"e":{}}')
    expect(canonicalJson([[], [{}], [[1]]])).toBe('[[],[{}],[[1]]]')
  })

  it('sorts keys as strings, even keys that look like numbers', () => {
    // a JS object would list "9" before "10"; sorted strings do not
    expect(canonicalJson({ 9: 'a', 10: 'b', x: 'c', '': 'd' })).toBe('{"":"d","10":"b","9":"a","x":"c"}')
  })

  it('keeps unicode as it is and sorts it by UTF-16 code units', () => {
    expect(canonicalJson({ é: 'ü', a: '😀', z: 'line\nbreak "quoted" \\' })).toBe('{"a":"😀","z":"line\\nbreak \\"quoted\\" \\\\","é":"ü"}')
    expect(canonicalJson({ '\u{1F600}': 1, '\uFFFF': 2 })).toBe('{"😀":1,"\uFFFF":2}') // surrogates sort below U+FFFF
    expect(canonicalJson('\uD800')).toBe('"\\ud800"') // a lone surrogate is escaped, as JSON.stringify does
    // composed and decomposed forms are different strings: not normalized
    expect(canonicalJson('\u00e9')).not.toBe(canonicalJson('e\u0301'))
  })

  it('writes numbers the one way JavaScript does', () => {
    expect(canonicalJson([1.0, 1, -0, 0.1 + 0.2, 1e21, 1e-7, 2 ** 53, -1.5])).toBe('[1,1,0,0.30000000000000004,1e+21,1e-7,9007199254740992,-1.5]')
    expect(canonicalJson([Number.NaN, Number.POSITIVE_INFINITY])).toBe('[null,null]')
    expect(canonicalJson({ a: 1.0 })).toBe(canonicalJson({ a: 1 }))
  })

  it('drops undefined like JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1, c: () => 1 })).toBe('{"b":1}')
    expect(canonicalJson([undefined, () => 1])).toBe('[null,null]')
    expect(canonicalJson(undefined)).toBe('null')
  })

  it('honours toJSON and unwraps boxed values', () => {
    expect(canonicalJson({ at: new Date('2024-01-02T03:04:05.000Z') })).toBe('{"at":"2024-01-02T03:04:05.000Z"}')
    expect(canonicalJson([new String('s'), new Number(2), new Boolean(false)])).toBe('["s",2,false]')
  })

  it('refuses what JSON cannot hold', () => {
    const loop: Record<string, unknown> = {}
    loop.self = loop
    expect(() => canonicalJson(loop)).toThrow(TypeError)
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError)
    const shared = { x: 1 }
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]') // shared is not circular
  })

  it('is JSON that means the same value, and is stable under a round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value)
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)))
        expect(canonicalJson(JSON.parse(text))).toBe(text)
        expect(text).not.toMatch(/^\s|\s$/)
      }),
      { numRuns: 300 },
    )
  })

  it('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        expect(canonicalJson(reorderKeys(value, seed))).toBe(canonicalJson(value))
      }),
      { numRuns: 300 },
    )
  })
})

/** The same value with every object's keys inserted in another (seeded) order. */
function reorderKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => reorderKeys(item, seed))
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value)
  const rotated = entries.map((_, i) => entries[(i + Math.abs(seed)) % entries.length]!).reverse()
  return Object.fromEntries(rotated.map(([key, child]) => [key, reorderKeys(child, seed + 1)]))
}

describe('stepCacheKey', () => {
  const base: StepCacheKeyInput = {
    kind: 'validate',
    nodeVersion: 1,
    config: { mode: 'quarantine', rules: [{ column: 'bill_length_mm', rule: 'between', min: 20, max: 80 }] },
    inputs: { dataset: 'a'.repeat(64), reference: 'b'.repeat(64) },
  }
  const key = stepCacheKey(base)

  it('is a sha256 in hex, pinned so stored keys stay valid', () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    // changing this value makes every cached step run again: do it only on purpose
    expect(key).toBe(PINNED_KEY)
  })

  it('does not change when config or inputs list their keys in another order', () => {
    const reordered: StepCacheKeyInput = {
      inputs: { reference: 'b'.repeat(64), dataset: 'a'.repeat(64) },
      config: { rules: [{ max: 80, min: 20, rule: 'between', column: 'bill_length_mm' }], mode: 'quarantine' },
      nodeVersion: 1,
      kind: 'validate',
    }
    expect(stepCacheKey(reordered)).toBe(key)
  })

  it('changes with the kind, the version, any config value and any input artifact', () => {
    const variants: StepCacheKeyInput[] = [
      { ...base, kind: 'validate2' },
      { ...base, nodeVersion: 2 },
      { ...base, config: { mode: 'fail', rules: [{ column: 'bill_length_mm', rule: 'between', min: 20, max: 80 }] } },
      { ...base, config: { mode: 'quarantine', rules: [{ column: 'bill_length_mm', rule: 'between', min: 20, max: 81 }] } },
      { ...base, config: { mode: 'quarantine', rules: [] } },
      { ...base, config: { mode: 'quarantine', rules: [{ column: 'bill_length_mm', rule: 'between', min: '20', max: 80 }] } },
      { ...base, inputs: { dataset: 'c'.repeat(64), reference: 'b'.repeat(64) } },
      { ...base, inputs: { dataset: 'b'.repeat(64), reference: 'a'.repeat(64) } }, // same ids, other ports
      { ...base, inputs: { dataset: 'a'.repeat(64) } },
    ]
    const keys = new Set([key, ...variants.map(stepCacheKey)])
    expect(keys.size).toBe(variants.length + 1)
  })

  it('changes when any single config leaf changes', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), fc.nat(), (config, pick) => {
        const leaves = leafPaths(config)
        fc.pre(leaves.length > 0)
        const path = leaves[pick % leaves.length]!
        const changed = structuredClone(config)
        setAt(changed, path, { changed: getAt(config, path) })
        expect(stepCacheKey({ ...base, config: changed })).not.toBe(stepCacheKey({ ...base, config }))
      }),
      { numRuns: 200 },
    )
  })
})

const PINNED_KEY = '358fea059df6b2db3a288c6d70613e2ae1795586229e30e8bfd5604997bbbbc0' // also what Python's json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False) + sha256 gives

function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return path.length > 0 ? [path] : []
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...path, Array.isArray(value) ? Number(key) : key]))
}

function getAt(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], value)
}

function setAt(value: unknown, path: readonly (string | number)[], next: unknown): void {
  const parent = getAt(value, path.slice(0, -1)) as Record<string | number, unknown>
  Object.defineProperty(parent, path[path.length - 1]!, { value: next, enumerable: true, writable: true, configurable: true })
}
