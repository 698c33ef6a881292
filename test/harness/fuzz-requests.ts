import fc from 'fast-check'

/**
 * Requests generated from the app's own OpenAPI document: schema-valid ones, and hostile ones
 * (wrong types, missing fields, NUL and lone surrogates, huge strings, extreme numbers, malformed
 * escapes and `..` in path ids, deep JSON, wrong content types, missing and forged tokens).
 */

type Schema = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
export interface OpenApiDocument {
  paths: Record<string, Record<string, Schema>>
  components?: { schemas?: Record<string, Schema> }
}

export interface Operation {
  method: string
  path: string
  parameters: Schema[]
  bodyType?: string
  bodySchema?: Schema
}

export interface FuzzRequest {
  operation: Operation
  url: string
  method: string
  headers: Record<string, string>
  body?: string
  /** what kind of request this is, for a failure message */
  label: string
}

const methods = ['get', 'post', 'put', 'patch', 'delete']

export function operationsOf(document: OpenApiDocument): Operation[] {
  const out: Operation[] = []
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of methods) {
      const operation = item[method]
      if (!operation) continue
      const content = operation.requestBody?.content ?? {}
      const bodyType = Object.keys(content)[0]
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: [...((item.parameters as Schema[] | undefined) ?? []), ...((operation.parameters as Schema[] | undefined) ?? [])],
        bodyType,
        bodySchema: bodyType ? content[bodyType]?.schema : undefined,
      })
    }
  }
  return out
}

/** Strings no route should store or choke on. */
export const hostileStrings = fc.constantFrom(
  'a\u0000b',
  'x\ud800y',
  '\udfff',
  'x'.repeat(100_000),
  '',
  ' ',
  '../../etc/passwd',
  "'; drop table users; --",
  '<script>alert(1)</script>',
  '=HYPERLINK("http://evil")',
  '\u202e\u0301🐕',
  '{"a":1}',
  'null',
)

export const hostileNumbers = fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 2147483648, -2147483649, 0.1, 1e-320, 999999999999999)

/** Path-id values: malformed escapes go in raw, the rest are encoded as a client would. */
export const hostilePathValues = fc.oneof(
  fc.constantFrom('%zz', '%ff%fe', '%c0%af', '%', '%u0041', '..', '..%2f..', '%2e%2e', '%00', '2147483648', '-1', '0', 'null'),
  fc.constantFrom('a'.repeat(3000), '00000000-0000-0000-0000-000000000000', 'e'.repeat(64)).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 40 }).map((value) => encodeURIComponent(value.replace(/[\ud800-\udfff]/g, 'x'))),
)

export function valueFromSchema(schema: Schema | undefined, document: OpenApiDocument, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant(null)
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop()!
    return valueFromSchema(document.components?.schemas?.[name], document, depth + 1)
  }
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]))
  const variants = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined
  if (variants?.length) return fc.oneof(...variants.map((variant) => valueFromSchema(variant, document, depth + 1)))
  if (schema.allOf?.length) return valueFromSchema(schema.allOf[0], document, depth + 1)
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') ?? 'null' : schema.type
  switch (type) {
    case 'string':
      return stringFor(schema)
    case 'integer':
      return fc.integer({ min: schema.minimum ?? schema.exclusiveMinimum ?? 0, max: Math.min(schema.maximum ?? 1000, 1_000_000) })
    case 'number':
      return fc.double({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1000, 1e6), noNaN: true, noDefaultInfinity: true })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(valueFromSchema(schema.items, document, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) })
    case 'object':
    default:
      return objectFor(schema, document, depth)
  }
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid()
  if (schema.format === 'email') return fc.emailAddress()
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
  const min = schema.minLength ?? 0
  const max = Math.max(min, Math.min(schema.maxLength ?? 40, 40))
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity))
    } catch {
      // a pattern fast-check cannot build from: any short string
    }
  }
  return fc.string({ minLength: min, maxLength: max })
}

function objectFor(schema: Schema, document: OpenApiDocument, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>
  const required = new Set<string>(schema.required ?? [])
  const record: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [key, child] of Object.entries(properties)) record[key] = valueFromSchema(child, document, depth + 1)
  return fc.record(record, { requiredKeys: [...required].filter((key) => key in record) })
}

/** A valid body, then maybe broken one of the ways an attacker or a careless client breaks it. */
export function bodyFor(operation: Operation, document: OpenApiDocument): fc.Arbitrary<{ body?: string; contentType?: string; label: string }> {
  const type = operation.bodyType
  if (!type) return fc.constant({ label: 'no body' })
  if (type !== 'application/json') {
    return fc.oneof(
      fc.constant({ body: 'title,severity\nA,5\n', contentType: type, label: `valid ${type}` }),
      fc.constant({ body: 'title\n"unclosed', contentType: type, label: 'broken text' }),
      hostileStrings.map((s) => ({ body: s, contentType: type, label: 'hostile text body' })),
    )
  }
  const valid = valueFromSchema(operation.bodySchema, document)
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((value) => ({ body: JSON.stringify(value), contentType: type, label: 'schema-valid JSON' })) },
    { weight: 3, arbitrary: fc.tuple(valid, hostileValue()).map(([value, bad]) => ({ body: JSON.stringify(replaceAField(value, bad)), contentType: type, label: 'one field hostile' })) },
    { weight: 1, arbitrary: valid.map((value) => ({ body: JSON.stringify(dropAField(value)), contentType: type, label: 'a field missing' })) },
    { weight: 1, arbitrary: fc.constantFrom('{"a":', '[', 'nul', '{"x":1}}', '\u0000').map((body) => ({ body, contentType: type, label: 'malformed JSON' })) },
    { weight: 1, arbitrary: fc.constantFrom(deepJson(5000), JSON.stringify({ a: 'x'.repeat(2_000_000) })).map((body) => ({ body, contentType: type, label: 'deep or huge JSON' })) },
    { weight: 1, arbitrary: fc.constantFrom('[]', '"text"', '42', 'null', 'true').map((body) => ({ body, contentType: type, label: 'JSON of the wrong kind' })) },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', '').chain((contentType) => valid.map((value) => ({ body: JSON.stringify(value), contentType, label: `wrong content type ${contentType || '(none)'}` }))) },
  )
}

function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(hostileStrings, hostileNumbers, fc.constantFrom(null, true, [], {}, [[[[]]]], { $ref: 'x' }, { __proto__: { admin: true } }))
}

function replaceAField(value: unknown, bad: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return bad
  const keys = Object.keys(value)
  if (keys.length === 0) return { unexpected: bad }
  return { ...(value as object), [keys[Math.floor(keys.length / 2)]!]: bad }
}

function dropAField(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value
  const keys = Object.keys(value)
  const copy = { ...(value as Record<string, unknown>) }
  delete copy[keys[0]!]
  return copy
}

function deepJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth)
}
