import type { CompileError } from './types'

/**
 * Errors in the order a reader fixes them: within one group, by place in the file (its keys in
 * the order a file lists them, list items by position); below a node's or edge's own fields —
 * inside a config, say — they keep the order they were found in, which is the schema's order.
 */
export function sortByPath(errors: readonly CompileError[]): CompileError[] {
  const keyed = errors.map((error, position) => ({ error, key: sortKey(error.path), position }))
  keyed.sort((a, b) => compareKeys(a.key, b.key) || a.position - b.position)
  return keyed.map(({ error }) => error)
}

const topLevel = ['apiVersion', 'name', 'description', 'nodes', 'edges', 'ui']
const nodeFields = ['id', 'kind', 'config']
const edgeFields = ['from', 'to']
const unknownKey = Number.MAX_SAFE_INTEGER

function sortKey(path: readonly (string | number)[]): number[] {
  const [top, index, field] = path
  if (top === undefined) return []
  const key = [rank(topLevel, top)]
  if ((top !== 'nodes' && top !== 'edges') || typeof index !== 'number') return key
  key.push(index)
  if (field !== undefined) key.push(rank(top === 'nodes' ? nodeFields : edgeFields, field))
  return key
}

function rank(known: readonly string[], part: string | number): number {
  const at = typeof part === 'string' ? known.indexOf(part) : -1
  return at === -1 ? unknownKey : at
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!
  }
  return a.length - b.length
}
