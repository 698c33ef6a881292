// Fields that only mean something beside certain sibling values (a canary's weight, the timeout
// of an approval) declare it in their schema's meta as `shownWhen`; the form shows them only then,
// and drops their value when a change hides them, so no stale setting is left to be refused.
import { getAt, setAt, type Path } from './config-path'
import type { FieldEntry, FieldSpec, ObjectSpec } from './spec-types'

type Config = Record<string, unknown>

const isRecord = (v: unknown): v is Config => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The sibling's value as the node will run with it: what the object holds, else its default. */
function siblingValue(object: ObjectSpec, value: Config, name: string): unknown {
  return value[name] ?? object.fields.find((field) => field.name === name)?.default
}

/** Whether the siblings `entry.shownWhen` names hold one of the values it lists. */
export function conditionHolds(entry: FieldEntry, object: ObjectSpec, value: unknown): boolean {
  if (!entry.shownWhen) return true
  const here = isRecord(value) ? value : {}
  return Object.entries(entry.shownWhen).every(([name, allowed]) => allowed.some((v) => v === siblingValue(object, here, name)))
}

/**
 * Whether the form shows `entry` inside `object` holding `value`: when its condition holds, or
 * while it holds a value of its own other than the default (a pipeline file written by hand),
 * so a setting the schema refuses there can be seen and removed.
 */
export function isFieldShown(entry: FieldEntry, object: ObjectSpec, value: unknown): boolean {
  if (conditionHolds(entry, object, value)) return true
  const own = isRecord(value) ? value[entry.name] : undefined
  return own !== undefined && JSON.stringify(own) !== JSON.stringify(entry.default)
}

/** The object spec (an object, or a union's chosen variant) whose fields sit at `path`. */
function objectAt(spec: FieldSpec, value: unknown, path: Path): ObjectSpec | undefined {
  if (spec.type === 'union') {
    const variant = isRecord(value) ? spec.variants.find((v) => v.value === value[spec.discriminator]) : undefined
    return variant ? objectAt(variant.spec, value, path) : undefined
  }
  const [head, ...rest] = path
  if (head === undefined) return spec.type === 'object' ? spec : undefined
  if (spec.type === 'object') {
    const field = spec.fields.find((f) => f.name === head)
    return field ? objectAt(field.spec, isRecord(value) ? value[head] : undefined, rest) : undefined
  }
  if (spec.type === 'objectList' && Array.isArray(value) && typeof head === 'number') return objectAt(spec.item, value[head], rest)
  return undefined
}

/**
 * The config after a change at `changed`, without the values of the siblings that change hid
 * (strategy canary → single drops the weight). Fields with a default keep nothing either: the
 * default applies again if they come back.
 */
export function withoutHiddenValues(root: FieldSpec, config: unknown, changed: Path): unknown {
  const name = changed.at(-1)
  if (typeof name !== 'string') return config
  const parent = changed.slice(0, -1)
  const object = objectAt(root, config, parent)
  if (!object) return config
  let next = config
  for (const entry of object.fields) {
    if (!entry.shownWhen || !(name in entry.shownWhen)) continue
    const here = getAt(next, parent)
    if (isRecord(here) && here[entry.name] !== undefined && !conditionHolds(entry, object, here)) next = setAt(next, [...parent, entry.name], undefined)
  }
  return next
}
