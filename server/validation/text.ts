import { z } from 'zod'

/**
 * The one boundary for text: every string a person or a client sends goes through here, so
 * nothing PostgreSQL would refuse (a NUL, a lone UTF-16 surrogate) ever reaches a query, and
 * every string has a length limit. Isomorphic: forms in the browser use the same rules.
 */

export const nulMessage = 'must not contain a NUL character (\\u0000)'
export const surrogateMessage = 'must not contain a lone UTF-16 surrogate (half of an emoji or other character)'

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** What is wrong with a string that no database or log should store, or undefined. */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return nulMessage
  if (loneSurrogate.test(value)) return surrogateMessage
  return undefined
}

export interface TextOptions {
  /** the longest value, in UTF-16 code units (what `String.length` counts) */
  max: number
  min?: number
  minMessage?: string
  /** strip surrounding white space first (names, titles); false keeps it (passwords, free text) */
  trim?: boolean
}

/** A checked string: no NUL, no lone surrogate, at most `max` long, trimmed unless told otherwise. */
export function text(options: TextOptions) {
  const base = z.string().superRefine((value, context) => {
    const problem = textProblem(value)
    if (problem) context.addIssue({ code: 'custom', message: problem })
  })
  const trimmed = options.trim === false ? base : base.trim()
  const limited = trimmed.max(options.max, `must be at most ${options.max} characters`)
  return options.min === undefined
    ? limited
    : limited.min(options.min, options.minMessage ?? (options.min === 1 ? 'must not be empty' : `must be at least ${options.min} characters`))
}

export interface BadString {
  /** JSON path of the string (or key) that is wrong */
  path: (string | number)[]
  message: string
}

/**
 * The first string or object key in a JSON value that no database may store, for bodies whose
 * shape is free (pipeline files' config and `ui`). Depth is bounded by the JSON parser's caller.
 * One path is pushed and popped while walking: a tensor of 30,000 numbers allocates nothing.
 */
export function findBadString(value: unknown, path: (string | number)[] = []): BadString | undefined {
  const walked = [...path]
  const message = badStringAt(value, walked)
  return message ? { path: walked, message } : undefined
}

/** The problem found under `value`, leaving `path` pointing at it; or undefined with `path` as it was. */
function badStringAt(value: unknown, path: (string | number)[]): string | undefined {
  if (typeof value === 'string') return textProblem(value)
  if (value === null || typeof value !== 'object') return undefined
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const child: unknown = value[index]
      if (child === null || (typeof child !== 'object' && typeof child !== 'string')) continue
      path.push(index)
      const found = badStringAt(child, path)
      if (found) return found
      path.pop()
    }
    return undefined
  }
  for (const [key, child] of Object.entries(value)) {
    path.push(key)
    const keyProblem = textProblem(key)
    if (keyProblem) return `key ${keyProblem}`
    const found = badStringAt(child, path)
    if (found) return found
    path.pop()
  }
  return undefined
}

/** How deeply a JSON value nests (objects and arrays), stopping once it passes `limit`. */
export function jsonDepthExceeds(value: unknown, limit: number, depth = 0): boolean {
  if (depth > limit) return true
  if (value === null || typeof value !== 'object') return false
  const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value)
  if (children.length > 0 && depth + 1 > limit) return true
  for (const child of children) {
    if (child !== null && typeof child === 'object' && jsonDepthExceeds(child, limit, depth + 1)) return true
  }
  return false
}
