import { createHash } from 'node:crypto'

/**
 * JSON with object keys sorted (by UTF-16 code units, recursively) and no whitespace, so equal
 * values always give equal text. Otherwise JSON.stringify's rules: numbers in their shortest
 * round-trip form (`1.0` is `1`, `-0` is `0`, non-finite numbers are `null`), `toJSON` is
 * honoured, `undefined`, functions and symbols are dropped from objects and become `null` in
 * lists (and at the top). Throws a TypeError on bigints and circular values, as JSON does.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set()) ?? 'null'
}

function write(value: unknown, ancestors: Set<object>): string | undefined {
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON()
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf()
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      throw new TypeError('canonicalJson: a bigint has no JSON form')
    case 'object':
      break
    default:
      return undefined // undefined, functions, symbols
  }
  if (value === null) return 'null'
  if (ancestors.has(value)) throw new TypeError('canonicalJson: the value is circular')
  ancestors.add(value)
  let out: string
  if (Array.isArray(value)) {
    out = `[${value.map((item) => write(item, ancestors) ?? 'null').join(',')}]`
  } else {
    const record = value as Record<string, unknown>
    const members: string[] = []
    for (const key of Object.keys(record).sort()) {
      const text = write(record[key], ancestors)
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`)
    }
    out = `{${members.join(',')}}`
  }
  ancestors.delete(value)
  return out
}

export interface StepCacheKeyInput {
  kind: string
  nodeVersion: number
  /** the parsed config, defaults filled in */
  config: unknown
  /** input port → the artifact id (sha256) it reads */
  inputs: Record<string, string>
}

/**
 * A step's cache key: sha256 (hex) of the canonical JSON of its kind, node version, config and
 * input artifact ids. Equal keys mean the step would compute the same outputs.
 */
export function stepCacheKey({ kind, nodeVersion, config, inputs }: StepCacheKeyInput): string {
  return createHash('sha256').update(canonicalJson({ kind, nodeVersion, config, inputs }), 'utf8').digest('hex')
}
