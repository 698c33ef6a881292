import { pathKey, type Path } from './config-path'
import { objectDefaults, type ConfigIssue } from './field-spec'
import { isFieldShown } from './shown-when'
import type { FieldSpec, ObjectSpec, Scalar, ScalarType, UnionSpec } from './spec-types'

type Config = Record<string, unknown>

const isRecord = (v: unknown): v is Config => typeof v === 'object' && v !== null && !Array.isArray(v)

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/** The number a user typed, or undefined when the text is not one ("1e", "12px", "", "1e999"). */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim()
  const n = NUMBER.test(trimmed) ? Number(trimmed) : NaN
  return Number.isFinite(n) ? n : undefined
}

/**
 * An entry of a scalar list as the user typed it: a number-looking entry becomes a number and
 * "true"/"false" a boolean, when the list allows those types; anything else stays text. Only
 * numbers that write back the same become numbers: "007", "1.0" or "1e2" stay text, since
 * in_set compares values as text and 7 would not match a cell holding "007".
 */
export function parseListEntry(text: string, itemTypes: readonly ScalarType[]): Scalar {
  if (itemTypes.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true'
  const n = itemTypes.includes('number') ? parseNumber(text) : undefined
  return n !== undefined && String(n) === text ? n : text
}

/**
 * The object a union field holds after the user picks another variant: that variant's defaults,
 * overlaid with the fields both variants share (a rule's `column` survives a change of rule).
 */
export function switchVariant(current: unknown, union: UnionSpec, value: Scalar): Config {
  const variant = union.variants.find((v) => v.value === value)
  if (!variant) return { [union.discriminator]: value }
  const kept: Config = {}
  for (const field of variant.spec.fields) {
    const old = isRecord(current) ? current[field.name] : undefined
    if (old !== undefined) kept[field.name] = old
  }
  return { [union.discriminator]: value, ...objectDefaults(variant.spec), ...kept }
}

/**
 * Where the form shows each issue: under its own field, else under the nearest enclosing one
 * the form shows (an unknown key inside a rule goes to that rule's card), else (`unplaced`)
 * in a list above the form.
 */
export function placeIssues(issues: ConfigIssue[], visible: ReadonlySet<string>) {
  const byPath = new Map<string, string[]>()
  const unplaced: ConfigIssue[] = []
  for (const issue of issues) {
    const segments = issue.path === '' ? [] : issue.path.split('.')
    const at = segments.map((_, i) => segments.slice(0, segments.length - i).join('.')).find((p) => visible.has(p))
    if (at === undefined) unplaced.push(issue)
    else byPath.set(at, [...(byPath.get(at) ?? []), issue.message])
  }
  return { byPath, unplaced }
}

/** The dotted paths the form shows a field (or list entry) for, given the current config. */
export function visibleFieldPaths(spec: ObjectSpec | UnionSpec, value: unknown): Set<string> {
  const seen = new Set<string>()
  walk(spec, value, [], seen)
  return seen
}

function walk(spec: FieldSpec, value: unknown, path: Path, seen: Set<string>): void {
  const add = (p: Path) => seen.add(pathKey(p))
  switch (spec.type) {
    case 'object':
      for (const field of spec.fields) {
        if (!isFieldShown(field, spec, value)) continue
        add([...path, field.name])
        walk(field.spec, isRecord(value) ? value[field.name] : undefined, [...path, field.name], seen)
      }
      return
    case 'union': {
      add([...path, spec.discriminator])
      const variant = isRecord(value) ? spec.variants.find((v) => v.value === value[spec.discriminator]) : undefined
      if (variant) walk(variant.spec, value, path, seen)
      return
    }
    case 'objectList':
    case 'stringList':
      if (!Array.isArray(value)) return
      value.forEach((item: unknown, i) => {
        add([...path, i])
        if (spec.type === 'objectList') walk(spec.item, item, [...path, i], seen)
      })
      return
    default:
      return
  }
}
