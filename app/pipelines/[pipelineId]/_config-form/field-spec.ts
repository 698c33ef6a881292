import { z } from 'zod'
import { findNodeDefinition } from '@/nodes/registry'
import { getAt, pathKey } from './config-path'
import type { FieldEntry, FieldSpec, NumberSpec, ObjectSpec, Scalar, ScalarSpec, ScalarType, TextSpec, UnionSpec, UnionVariant } from './spec-types'

export type * from './spec-types'

type Json = Record<string, unknown>

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const num = (v: unknown) => (typeof v === 'number' ? v : undefined)
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)

/** `type` as a list: JSON Schema allows one name or several. */
function typesOf(schema: Json): string[] {
  const t = schema.type
  if (typeof t === 'string') return [t]
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : []
}

/** The alternatives of a oneOf/anyOf, when there are any. */
function alternatives(schema: Json): Json[] | undefined {
  const list = schema.oneOf ?? schema.anyOf
  return Array.isArray(list) ? list.filter(isRecord) : undefined
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
}

/** Map one JSON Schema (as `z.toJSONSchema` writes it) to the control that edits it. */
export function describeSchema(schema: unknown): FieldSpec {
  if (!isRecord(schema)) return { type: 'json' }
  const alts = alternatives(schema)
  if (alts) return describeAlternatives(alts)
  if (Array.isArray(schema.enum) && schema.enum.every(isScalar)) return { type: 'enum', options: schema.enum }
  if (isScalar(schema.const)) return { type: 'enum', options: [schema.const] }
  const types = typesOf(schema)
  if (types.length > 1) return { type: 'json' }
  switch (types[0]) {
    case 'string':
      return schema.column === true ? { type: 'column' } : describeText(schema)
    case 'number':
    case 'integer':
      return describeNumber(schema, types[0])
    case 'boolean':
      return { type: 'boolean' }
    case 'array':
      return describeArray(schema)
    case 'object':
      return describeObject(schema)
    default:
      return { type: 'json' }
  }
}

function describeText(schema: Json): TextSpec {
  return withoutUndefined({
    type: 'text' as const,
    pattern: str(schema.pattern),
    format: str(schema.format),
    minLength: num(schema.minLength),
    maxLength: num(schema.maxLength),
    multiline: schema.multiline === true || schema.code === true ? true : undefined,
    code: schema.code === true ? true : undefined,
  })
}

function describeNumber(schema: Json, type: 'number' | 'integer'): NumberSpec {
  return withoutUndefined({
    type,
    minimum: num(schema.minimum),
    maximum: num(schema.maximum),
    exclusiveMinimum: num(schema.exclusiveMinimum),
    exclusiveMaximum: num(schema.exclusiveMaximum),
  })
}

/** A oneOf/anyOf: a discriminated union of objects, a set of described literals, or scalars. */
function describeAlternatives(alts: Json[]): FieldSpec {
  const union = describeUnion(alts)
  if (union) return union
  if (alts.every((a) => isScalar(a.const))) {
    const labels = alts.map((a) => str(a.description) ?? String(a.const))
    return { type: 'enum', options: alts.map((a) => a.const as Scalar), labels }
  }
  return describeScalarUnion(alts) ?? { type: 'json' }
}

/** string | number | boolean (text among them): one value typed in as text, like a list entry. */
function describeScalarUnion(alts: Json[]): ScalarSpec | undefined {
  const types = scalarItemTypes({ anyOf: alts })
  return types && types.length > 1 ? { type: 'scalar', itemTypes: types } : undefined
}

function describeUnion(alts: Json[]): UnionSpec | undefined {
  if (alts.length === 0 || !alts.every((a) => typesOf(a)[0] === 'object' && isRecord(a.properties))) return undefined
  const discriminator = findDiscriminator(alts)
  if (!discriminator) return undefined
  const variants = alts.map((alt): UnionVariant => {
    const property = (alt.properties as Json)[discriminator] as Json
    const object = describeObject(alt)
    return withoutUndefined({
      value: property.const as Scalar,
      label: str(alt.description) ?? String(property.const),
      description: str(property.description),
      spec: { type: 'object' as const, fields: object.fields.filter((f) => f.name !== discriminator) },
    })
  })
  return { type: 'union', discriminator, variants }
}

/** The property every alternative requires with a distinct constant value. */
function findDiscriminator(alts: Json[]): string | undefined {
  const first = alts[0]?.properties as Json
  return Object.keys(first).find((name) => {
    const values = alts.map((a) => {
      const p = (a.properties as Json)[name]
      return isRecord(p) && isScalar(p.const) && requiredOf(a).includes(name) ? p.const : undefined
    })
    return values.every((v) => v !== undefined) && new Set(values).size === values.length
  })
}

function requiredOf(schema: Json): string[] {
  return Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []
}

function describeObject(schema: Json): ObjectSpec {
  if (!isRecord(schema.properties)) return { type: 'object', fields: [] }
  const required = requiredOf(schema)
  const fields = Object.entries(schema.properties).map(([name, property]): FieldEntry => {
    const p = isRecord(property) ? property : {}
    return withoutUndefined({
      name,
      required: required.includes(name),
      title: str(p.title),
      description: str(p.description),
      default: p.default,
      shownWhen: shownWhenOf(p.shownWhen),
      spec: describeSchema(p),
    })
  })
  return { type: 'object', fields }
}

/** `{ sibling: [values…] }` from a field's meta; anything else is ignored, so a typo shows the field. */
function shownWhenOf(meta: unknown): Record<string, Scalar[]> | undefined {
  if (!isRecord(meta)) return undefined
  const entries = Object.entries(meta).filter((entry): entry is [string, Scalar[]] => Array.isArray(entry[1]) && entry[1].every(isScalar))
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

function describeArray(schema: Json): FieldSpec {
  const items = isRecord(schema.items) ? schema.items : undefined
  if (!items) return { type: 'json' }
  const bounds = withoutUndefined({ minItems: num(schema.minItems), maxItems: num(schema.maxItems) })
  if (items.column === true && typesOf(items)[0] === 'string') return { type: 'stringList', itemTypes: ['string'], columns: true, ...bounds }
  const itemTypes = scalarItemTypes(items)
  if (itemTypes) return { type: 'stringList', itemTypes, ...bounds }
  const item = describeSchema(items)
  if (item.type === 'object' || item.type === 'union') return { type: 'objectList', item, ...bounds }
  return { type: 'json' }
}

/** string, or a union of string/number/boolean: entries the user types as text. */
function scalarItemTypes(items: Json): ScalarType[] | undefined {
  const names = alternatives(items)?.flatMap(typesOf) ?? typesOf(items)
  const normalised = [...new Set(names.map((t) => (t === 'integer' ? 'number' : t)))]
  const allScalar = normalised.every((t): t is ScalarType => t === 'string' || t === 'number' || t === 'boolean')
  // a list of numbers alone would be better served by number inputs: leave it to JSON
  return allScalar && normalised.includes('string') && items.column !== true ? normalised : undefined
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

const specCache = new Map<string, ObjectSpec | UnionSpec>()

/**
 * The form of a node kind's whole config: an object's fields, or a discriminated union's variants
 * (augment: `mode` tabular or images); undefined for an unknown kind.
 */
export function configRoot(kind: string): ObjectSpec | UnionSpec | undefined {
  const cached = specCache.get(kind)
  if (cached) return cached
  const definition = findNodeDefinition(kind)
  if (!definition) return undefined
  const spec = describeSchema(z.toJSONSchema(definition.config, { io: 'input', unrepresentable: 'any' }))
  // a node config is a strictObject or a union of them; anything else would get an empty form, not a crash
  const root: ObjectSpec | UnionSpec = spec.type === 'object' || spec.type === 'union' ? spec : { type: 'object', fields: [] }
  specCache.set(kind, root)
  return root
}

/** The fields of a node kind whose config is an object; undefined for an unknown kind. */
export function configSpec(kind: string): ObjectSpec | undefined {
  const root = configRoot(kind)
  return root?.type === 'union' ? { type: 'object', fields: [] } : root
}

type Config = Record<string, unknown>

/**
 * The value a new field, list item or variant starts with: the schema's default, else what
 * its control would show anyway (an enum's first option, an unchecked box, a union's variant
 * `pick`). Text, numbers and lists without a default stay undefined: the user must fill them.
 */
export function defaultFor(spec: FieldSpec, pick = 0): unknown {
  switch (spec.type) {
    case 'object':
      return objectDefaults(spec, pick)
    case 'union': {
      const variant = spec.variants[Math.min(pick, spec.variants.length - 1)]
      return variant && { [spec.discriminator]: variant.value, ...objectDefaults(variant.spec, pick) }
    }
    case 'enum':
      return spec.options[0]
    case 'boolean':
      return false
    default:
      return undefined
  }
}

export function objectDefaults(spec: ObjectSpec, pick = 0): Config {
  const out: Config = {}
  for (const field of spec.fields) {
    const value =
      field.default !== undefined ? structuredClone(field.default) : field.required ? defaultFor(field.spec, pick) : undefined
    if (value !== undefined) out[field.name] = value
  }
  return out
}

/** The most variants any union in the form offers: how many `pick`s are worth trying. */
function mostVariants(spec: FieldSpec): number {
  switch (spec.type) {
    case 'object':
      return Math.max(1, ...spec.fields.map((f) => mostVariants(f.spec)))
    case 'union':
      return Math.max(spec.variants.length, ...spec.variants.map((v) => mostVariants(v.spec)))
    case 'objectList':
      return mostVariants(spec.item)
    default:
      return 1
  }
}

/**
 * The config a new node starts with. Unions take the first variant whose defaults make a valid
 * config (an ingest cannot start as 'upload': there is no file yet), else their first variant.
 */
export function defaultConfig(kind: string): Config {
  const definition = findNodeDefinition(kind)
  const spec = configRoot(kind)
  if (!definition || !spec) throw new Error(`unknown node kind "${kind}"`)
  const candidates = Array.from({ length: mostVariants(spec) }, (_, pick) =>
    spec.type === 'union' ? ((defaultFor(spec, pick) as Config | undefined) ?? {}) : objectDefaults(spec, pick),
  )
  return candidates.find((c) => definition.config.safeParse(c).success) ?? candidates[0] ?? {}
}

export interface ConfigIssue {
  /** dotted, e.g. "rules.0.min"; "" for the config as a whole */
  path: string
  message: string
}

/** Plainer words for zod's most common messages; the schema's own messages take precedence. */
const friendlyMessages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_value' || (issue.code === 'invalid_union' && issue.note === 'No matching discriminator')) {
    return 'Not one of the options'
  }
  if (issue.code === 'too_small' && issue.minimum === 1) {
    if (issue.origin === 'string') return 'Must not be empty'
    if (issue.origin === 'array') return 'Add at least one entry'
  }
  return undefined
}

/** What is wrong with a node's config, each problem at the dotted path of its field. */
export function configIssues(kind: string, config: unknown): ConfigIssue[] {
  const definition = findNodeDefinition(kind)
  if (!definition) return [{ path: '', message: `Unknown node kind "${kind}"` }]
  const result = definition.config.safeParse(config, { error: friendlyMessages })
  if (result.success) return []
  return result.error.issues.flatMap((issue): ConfigIssue[] => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
    if (issue.code === 'unrecognized_keys') {
      // one issue per key, at the key itself, so the message can name it
      return issue.keys.map((key) => ({ path: pathKey([...path, key]), message: `Unknown setting "${key}"` }))
    }
    // "Required" even where the schema words its errors (url: "must be an http:// … address"):
    // a schema-level message wins over ours in zod, and reads oddly for an empty field
    const missing = issue.code === 'invalid_type' && getAt(config, path) === undefined
    return [{ path: pathKey(path), message: missing ? 'Required' : issue.message }]
  })
}
