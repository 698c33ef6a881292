import type { z } from 'zod'
import { describeValue, listWords } from './text'

type Issue = z.core.$ZodIssue

/** One problem at one place, in plain words: `text` reads after the name of the place. */
export interface IssueText {
  path: (string | number)[]
  /** a predicate such as `must be a number (got "1")`, or a schema's own message */
  text: string
}

/**
 * zod's issues in plain words: unions resolved to the branch that nearly fit, unknown keys one
 * by one, and one problem per field (an empty name is not also "not lower-case").
 */
export function describeIssues(issues: readonly Issue[]): IssueText[] {
  const seen = new Set<string>()
  return collect(issues, []).filter(({ path }) => {
    const key = JSON.stringify(path)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function collect(issues: readonly Issue[], prefix: readonly (string | number)[]): IssueText[] {
  const out: IssueText[] = []
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map(toPathPart)]
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], text: 'is not a known field' })
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0 && !issue.discriminator) {
      const branch = bestBranch(issue.errors)
      if (branch) out.push(...collect(branch, path))
      else out.push({ path, text: unionText(issue.errors, issue.input) })
    } else {
      out.push({ path, text: issueText(issue) })
    }
  }
  return out
}

/** Reads on from a field's name: "must be …", "is required", "has …". */
const predicate = /^(must|is|are|has|have|needs?|should|cannot|can't|may|matches)\b/

/** `subject` + `text`: a predicate follows with a space, any other sentence after a colon. */
export function sentence(subject: string, text: string): string {
  return predicate.test(text) ? `${subject} ${text}` : `${subject}: ${text}`
}

function toPathPart(part: PropertyKey): string | number {
  return typeof part === 'number' ? part : String(part)
}

/** zod's default English messages; anything else is a message the schema's author wrote. */
const defaultMessage = /^(Invalid|Too small|Too big|Unrecognized key)/

function issueText(issue: Issue): string {
  const missing = !('input' in issue) || issue.input === undefined
  const got = missing ? '' : ` (got ${describeValue(issue.input)})`
  if (issue.code !== 'custom' && !defaultMessage.test(issue.message)) {
    // the schema author's own words: a predicate ("must look like …") gets the value too
    return predicate.test(issue.message) ? issue.message + got : issue.message
  }
  switch (issue.code) {
    case 'invalid_type':
      if (missing || issue.expected === 'nonoptional') return 'is required'
      if (issue.expected === 'never') return 'is not allowed'
      return `must be ${typeWords(issue.expected)}${got}`
    case 'too_small': {
      const text = sizeText(issue.origin, issue.minimum, 'min', issue.inclusive ?? true, issue.exact)
      return text === 'must not be empty' ? text : text + got
    }
    case 'too_big':
      return sizeText(issue.origin, issue.maximum, 'max', issue.inclusive ?? true, issue.exact) + got
    case 'invalid_format':
      return formatText(issue) + got
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}${got}`
    case 'invalid_value':
      return missing ? 'is required' : `must be ${oneOf(issue.values)}${got}`
    case 'invalid_union':
      if (issue.discriminator && 'options' in issue && issue.options) {
        return `must be ${oneOf(issue.options)}${describeDiscriminator(issue.input, issue.discriminator)}`
      }
      return issue.errors.length === 0 ? 'matches more than one allowed form' : `is not one of the allowed forms${got}`
    case 'invalid_key':
      return 'has a key that is not allowed'
    case 'invalid_element':
      return 'has an element that is not allowed'
    case 'custom':
      // a refinement's input is often the object around the field: no "(got …)"
      return issue.message === 'Invalid input' ? 'is not valid' : issue.message
    default:
      return (issue as { message: string }).message
  }
}

function describeDiscriminator(input: unknown, key: string): string {
  if (input === null || typeof input !== 'object' || !Object.hasOwn(input, key)) return ''
  return ` (got ${describeValue((input as Record<string, unknown>)[key])})`
}

const typeNames = new Map(
  Object.entries({
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    bigint: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    tuple: 'a list',
    object: 'an object',
    record: 'an object',
    map: 'an object',
    null: 'null',
    date: 'a date',
  }),
)

function typeWords(expected: string): string {
  return typeNames.get(expected) ?? `a ${expected}`
}

function oneOf(values: readonly unknown[]): string {
  const words = values.map((value) => (typeof value === 'bigint' ? String(value) : JSON.stringify(value) ?? String(value)))
  return words.length === 1 ? words[0]! : `one of ${listWords(words, 'or')}`
}

function sizeText(origin: string, limit: number | bigint, side: 'min' | 'max', inclusive: boolean, exact?: boolean): string {
  const n = String(limit)
  if (origin === 'string') {
    if (exact) return `must be exactly ${n} characters long`
    if (side === 'min' && n === '1') return 'must not be empty'
    return side === 'min' ? `must be at least ${n} characters long` : `must be at most ${n} characters long`
  }
  if (origin === 'array' || origin === 'set') {
    if (exact) return `must have exactly ${n} items`
    if (side === 'min' && n === '1') return 'must not be empty'
    return side === 'min' ? `must have at least ${n} items` : `must have at most ${n} items`
  }
  if (origin === 'date') return side === 'min' ? `must not be before ${n}` : `must not be after ${n}`
  if (side === 'min') return inclusive ? `must be at least ${n}` : `must be greater than ${n}`
  return inclusive ? `must be at most ${n}` : `must be less than ${n}`
}

const formatNames = new Map(
  Object.entries({
    url: 'a valid URL',
    email: 'a valid email address',
    uuid: 'a valid UUID',
    guid: 'a valid GUID',
    datetime: 'a date and time (ISO 8601)',
    date: 'a date (YYYY-MM-DD)',
    time: 'a time (HH:MM:SS)',
    ipv4: 'an IPv4 address',
    ipv6: 'an IPv6 address',
  }),
)

function formatText(issue: Extract<Issue, { code: 'invalid_format' }>): string {
  if (issue.format === 'regex' && issue.pattern) return `must match the pattern ${issue.pattern}`
  const named = formatNames.get(issue.format)
  if (named) return `must be ${named}`
  // zod's own wording after its "Invalid string: " prefix already reads as a predicate
  const rest = /^Invalid [^:]*: (must .*)$/.exec(issue.message)?.[1]
  return rest ?? `must be a valid ${issue.format}`
}

/**
 * Of a union's failed branches, the one worth explaining: the first whose value had the right
 * shape at the top (its problems lie deeper), preferring fewer problems. None if every branch
 * failed on the value's type itself.
 */
function bestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined
  for (const branch of branches) {
    if (branch.some((issue) => issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_union'))) continue
    if (!best || branch.length < best.length) best = branch
  }
  return best
}

function unionText(branches: readonly (readonly Issue[])[], input: unknown): string {
  const expected = new Set<string>()
  for (const branch of branches) {
    for (const issue of branch) {
      if (issue.path.length !== 0) continue
      if (issue.code === 'invalid_type') expected.add(typeWords(issue.expected))
      else if (issue.code === 'invalid_value') expected.add(oneOf(issue.values))
    }
  }
  const got = input !== undefined ? ` (got ${describeValue(input)})` : ''
  if (expected.size === 0) return `is not one of the allowed forms${got}`
  return `must be ${listWords([...expected], 'or')}${got}`
}
