/**
 * What the config form renders, derived from a node's zod schema via its JSON Schema.
 * The form never looks at zod directly: JSON Schema is a stable, plain-data view of it.
 */
export type FieldSpec =
  | TextSpec
  | NumberSpec
  | EnumSpec
  | { type: 'boolean' }
  | StringListSpec
  | ObjectListSpec
  | ObjectSpec
  | UnionSpec
  | { type: 'column' }
  | ScalarSpec
  | { type: 'json' }

export interface TextSpec {
  type: 'text'
  pattern?: string
  /** JSON Schema format, e.g. 'uri' */
  format?: string
  minLength?: number
  maxLength?: number
  /** several lines (a query, a script): a textarea; `code` also sets it in monospace */
  multiline?: boolean
  code?: boolean
}

export interface NumberSpec {
  type: 'number' | 'integer'
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
}

export type Scalar = string | number | boolean
export type ScalarType = 'string' | 'number' | 'boolean'

export interface EnumSpec {
  type: 'enum'
  options: Scalar[]
  /** one per option, when the schema names them (a union of described literals) */
  labels?: string[]
}

/** An array of strings, or of string|number|boolean entries typed in as text. */
export interface StringListSpec {
  type: 'stringList'
  /** which types an entry may take; ['string'] for a plain list of strings */
  itemTypes: ScalarType[]
  minItems?: number
  maxItems?: number
  /** entries are column names: the upstream dataset's columns are offered */
  columns?: boolean
}

/** One value that may be text, a number or a boolean, typed in as text (a filter's value). */
export interface ScalarSpec {
  type: 'scalar'
  itemTypes: ScalarType[]
}

export interface ObjectListSpec {
  type: 'objectList'
  item: ObjectSpec | UnionSpec
  minItems?: number
  maxItems?: number
}

export interface ObjectSpec {
  type: 'object'
  fields: FieldEntry[]
}

export interface FieldEntry {
  name: string
  required: boolean
  /** an explicit title from the schema's meta; the form otherwise humanises `name` */
  title?: string
  description?: string
  default?: unknown
  /**
   * Shown only while a sibling holds one of these values (`{ strategy: ['canary'] }`: a canary's
   * weight), from the schema's meta; see shown-when.ts.
   */
  shownWhen?: Record<string, Scalar[]>
  spec: FieldSpec
}

export interface UnionSpec {
  type: 'union'
  /** the property whose constant value tells the variants apart, e.g. 'type' */
  discriminator: string
  variants: UnionVariant[]
}

export interface UnionVariant {
  value: Scalar
  label: string
  /** what the discriminator's own description says about this variant */
  description?: string
  /** the variant's fields, the discriminator left out */
  spec: ObjectSpec
}
