import { describe, expect, it } from 'vitest'
import { defaultNullValues, ingestConfig } from '@/nodes/ingest/definition'
import { validateConfig } from '@/nodes/validate/definition'
import { getAt, listMoved, setAt } from './config-path'
import { parseListEntry, parseNumber, placeIssues, switchVariant, visibleFieldPaths } from './config-values'
import {
  configIssues,
  configSpec,
  defaultConfig,
  defaultFor,
  describeSchema,
  type FieldEntry,
  type FieldSpec,
  type ObjectSpec,
  type UnionSpec,
} from './field-spec'
import { humanise, itemSummary } from './labels'

function field(spec: ObjectSpec, name: string): FieldEntry {
  const found = spec.fields.find((f) => f.name === name)
  if (!found) throw new Error(`no field ${name} in ${spec.fields.map((f) => f.name).join(', ')}`)
  return found
}

function as<T extends FieldSpec['type']>(spec: FieldSpec, type: T): Extract<FieldSpec, { type: T }> {
  expect(spec.type).toBe(type)
  return spec as Extract<FieldSpec, { type: T }>
}

const ingest = configSpec('ingest')!
const validate = configSpec('validate')!

describe('the ingest form', () => {
  it('offers the source as a choice of upload, web address, sample or image archive, labelled by their descriptions', () => {
    const source = field(ingest, 'source')
    expect(source.required).toBe(true)
    expect(source.description).toBe('Where the data comes from')
    const union = as(source.spec, 'union')
    expect(union.discriminator).toBe('type')
    expect(union.variants.map((v) => [v.value, v.label])).toEqual([
      ['upload', 'Uploaded file'],
      ['url', 'Web address'],
      ['sample', 'Sample data set'],
      ['camera', 'Camera emulator'],
      ['images', 'Image archive'],
    ])
    expect(union.variants[2]?.description).toBe('A data set shipped with Pipewright')
  })

  it('gives the camera emulator a form: bounded numbers, a surface choice, lighting as a group', () => {
    const camera = as(field(ingest, 'source').spec, 'union').variants.find((v) => v.value === 'camera')!
    const fields = new Map(camera.spec.fields.map((f) => [f.name, f]))
    expect([...fields.keys()]).toEqual(['count', 'width', 'height', 'surface', 'defectRate', 'defectMix', 'maxDefects', 'lighting', 'blur', 'noise', 'seed'])
    expect(fields.get('count')!.spec).toEqual({ type: 'integer', minimum: 1, maximum: 20_000 })
    expect(fields.get('defectRate')!.spec).toEqual({ type: 'number', minimum: 0, maximum: 1 })
    expect(as(fields.get('surface')!.spec, 'enum').options).toEqual(['brushed-metal', 'textile', 'printed-circuit', 'wood', 'mixed'])
    expect(as(fields.get('lighting')!.spec, 'object').fields.map((f) => f.name)).toEqual(['brightness', 'gradient', 'gradientAngle', 'glare'])
    expect(as(fields.get('defectMix')!.spec, 'object').fields.map((f) => f.name)).toEqual(['scratch', 'dust', 'smudge', 'dent'])
  })

  it('shows the image archive source its artifact and its limits, bounded and with defaults', () => {
    const images = as(field(ingest, 'source').spec, 'union').variants.find((v) => v.value === 'images')!
    expect(images.spec.fields.map((f) => f.name)).toEqual(['artifactId', 'maxEntries', 'maxUnpackedMiB'])
    expect(field(images.spec, 'maxEntries')).toMatchObject({ required: false, default: 50_000, spec: { type: 'integer', minimum: 1, maximum: 50_000 } })
    expect(field(images.spec, 'maxUnpackedMiB')).toMatchObject({ required: false, default: 2048, spec: { type: 'integer', minimum: 1, maximum: 2048 } })
  })

  it('shows each source variant its own fields, without the discriminator', () => {
    const [upload, url, sample] = as(field(ingest, 'source').spec, 'union').variants
    expect(upload!.spec.fields.map((f) => f.name)).toEqual(['artifactId', 'format'])
    expect(field(upload!.spec, 'artifactId')).toMatchObject({ required: true, spec: { type: 'text', pattern: '^[0-9a-f]{64}$' } })
    expect(field(upload!.spec, 'format')).toMatchObject({
      required: false,
      spec: { type: 'enum', options: ['csv', 'tsv', 'parquet', 'json', 'ndjson'] },
    })
    expect(field(url!.spec, 'url')).toMatchObject({ required: true, spec: { type: 'text', format: 'uri' } })
    expect(field(sample!.spec, 'name')).toMatchObject({
      required: true,
      description: 'Which sample data set',
      spec: { type: 'enum', options: ['penguins', 'sensor-readings'] },
    })
  })

  it('edits nullValues as a list of plain strings starting from the usual missing-value markers', () => {
    const nullValues = field(ingest, 'nullValues')
    expect(nullValues.required).toBe(false)
    expect(nullValues.default).toEqual(defaultNullValues)
    expect(nullValues.spec).toEqual({ type: 'stringList', itemTypes: ['string'], maxItems: 100 })
  })

  it('offers badRows as fail or skip, fail by default', () => {
    expect(field(ingest, 'badRows')).toMatchObject({ default: 'fail', spec: { type: 'enum', options: ['fail', 'skip'] } })
  })
})

describe('the validate form', () => {
  it('offers mode as quarantine or fail', () => {
    expect(field(validate, 'mode')).toMatchObject({
      required: false,
      default: 'quarantine',
      spec: { type: 'enum', options: ['quarantine', 'fail'] },
    })
  })

  it('lists expected columns as objects with a column name, an optional type and a required flag', () => {
    const columns = field(validate, 'columns')
    expect(columns.required).toBe(false)
    const item = as(as(columns.spec, 'objectList').item, 'object')
    expect(field(item, 'name')).toMatchObject({ required: true, description: 'Column name, exactly as in the dataset', spec: { type: 'column' } })
    expect(field(item, 'type')).toMatchObject({ required: false, spec: { type: 'enum' } })
    expect(as(field(item, 'type').spec, 'enum').options).toContain('timestamp')
    expect(field(item, 'required')).toMatchObject({ default: true, spec: { type: 'boolean' } })
  })

  it('lists rules as a union by `rule`, every variant with a column picker first', () => {
    const rules = as(field(validate, 'rules').spec, 'objectList')
    expect(field(validate, 'rules').default).toEqual([])
    const union = as(rules.item, 'union')
    expect(union.discriminator).toBe('rule')
    expect(union.variants.map((v) => v.value)).toEqual(['not_null', 'between', 'in_set', 'regex', 'unique', 'zscore', 'iqr'])
    for (const variant of union.variants) {
      expect(variant.spec.fields[0]).toMatchObject({ name: 'column', required: true, spec: { type: 'column' } })
      expect(variant.spec.fields[0]?.description).toMatch(/exactly as in the dataset/)
    }
  })

  it('maps the settings of each rule to the right control', () => {
    const variants = Object.fromEntries(as(as(field(validate, 'rules').spec, 'objectList').item, 'union').variants.map((v) => [String(v.value), v] as const))
    expect(variants.between?.label).toBe('Within a range')
    expect(field(variants.between!.spec, 'min')).toMatchObject({ required: false, spec: { type: 'number' } })
    expect(field(variants.between!.spec, 'max')).toMatchObject({ required: false, spec: { type: 'number' } })
    expect(field(variants.in_set!.spec, 'values')).toMatchObject({
      required: true,
      spec: { type: 'stringList', itemTypes: ['string', 'number', 'boolean'], minItems: 1 },
    })
    expect(field(variants.regex!.spec, 'pattern')).toMatchObject({ required: true, spec: { type: 'text', minLength: 1 } })
    expect(field(variants.zscore!.spec, 'threshold')).toMatchObject({ default: 3, spec: { type: 'number', exclusiveMinimum: 0 } })
    expect(field(variants.iqr!.spec, 'factor')).toMatchObject({ default: 1.5, spec: { type: 'number', exclusiveMinimum: 0 } })
    expect(variants.not_null!.spec.fields.map((f) => f.name)).toEqual(['column'])
    expect(variants.unique!.spec.fields.map((f) => f.name)).toEqual(['column'])
  })
})

describe('describeSchema on shapes the node kinds do not use yet', () => {
  it('reads integers with bounds, literal unions with labels, and falls back to JSON', () => {
    expect(describeSchema({ type: 'integer', minimum: 1, maximum: 10 })).toEqual({ type: 'integer', minimum: 1, maximum: 10 })
    expect(describeSchema({ oneOf: [{ const: 'a', description: 'First' }, { const: 'b' }] })).toEqual({
      type: 'enum',
      options: ['a', 'b'],
      labels: ['First', 'b'],
    })
    expect(describeSchema({ type: 'array', items: { type: 'number' } })).toEqual({ type: 'json' })
    expect(describeSchema({ type: 'object', additionalProperties: { type: 'string' } })).toEqual({ type: 'object', fields: [] })
    expect(describeSchema({ type: ['string', 'null'] })).toEqual({ type: 'json' })
    expect(describeSchema(undefined)).toEqual({ type: 'json' })
  })
})

describe('defaultConfig', () => {
  it('starts an ingest from the penguins sample, since an upload needs a file first', () => {
    const config = defaultConfig('ingest')
    expect(config).toEqual({ source: { type: 'sample', name: 'penguins' }, nullValues: defaultNullValues, badRows: 'fail' })
    expect(ingestConfig.safeParse(config).success).toBe(true)
  })

  it('starts a validate with no rules, in quarantine mode, and valid', () => {
    const config = defaultConfig('validate')
    expect(config).toEqual({ mode: 'quarantine', rules: [] })
    expect(validateConfig.safeParse(config).success).toBe(true)
  })

  it('gives each node its own copy of list defaults', () => {
    const a = defaultConfig('ingest')
    ;(a.nullValues as string[]).push('oops')
    expect(defaultConfig('ingest').nullValues).toEqual(defaultNullValues)
  })

  it('starts a new rule or expected column from its defaults', () => {
    const rules = as(field(validate, 'rules').spec, 'objectList')
    expect(defaultFor(rules.item)).toEqual({ rule: 'not_null' })
    const columns = as(field(validate, 'columns').spec, 'objectList')
    expect(defaultFor(columns.item)).toEqual({ required: true })
  })

  it('refuses an unknown kind', () => {
    expect(() => defaultConfig('teleport')).toThrow(/unknown node kind/)
  })
})

describe('switching a union variant', () => {
  const rule = as(as(field(validate, 'rules').spec, 'objectList').item, 'union') as UnionSpec

  it('keeps the column and fills the new rule’s defaults', () => {
    expect(switchVariant({ column: 'bill_length_mm', rule: 'between', min: 1 }, rule, 'zscore')).toEqual({
      rule: 'zscore',
      column: 'bill_length_mm',
      threshold: 3,
    })
  })

  it('keeps the format when an upload becomes a web address', () => {
    const source = as(field(ingest, 'source').spec, 'union')
    expect(switchVariant({ type: 'upload', artifactId: 'abc', format: 'csv' }, source, 'url')).toEqual({ type: 'url', format: 'csv' })
  })
})

describe('configIssues', () => {
  it('puts a refinement message on the field it names', () => {
    expect(configIssues('validate', { rules: [{ column: 'x', rule: 'between' }] })).toEqual([
      { path: 'rules.0.min', message: 'give min, max or both' },
    ])
  })

  it('names unknown settings, at their own path', () => {
    expect(configIssues('validate', { rules: [], colour: 'red' })).toEqual([{ path: 'colour', message: 'Unknown setting "colour"' }])
    expect(configIssues('validate', { rules: [{ column: 'x', rule: 'unique', extra: 1 }] })).toEqual([
      { path: 'rules.0.extra', message: 'Unknown setting "extra"' },
    ])
  })

  it('reports a wrong type at its path', () => {
    const issues = configIssues('validate', { rules: [{ column: 'x', rule: 'between', min: '3' }] })
    expect(issues).toEqual([{ path: 'rules.0.min', message: expect.stringMatching(/expected number/) }])
  })

  it('says plainly what is missing or empty', () => {
    expect(configIssues('ingest', { source: { type: 'url' } })).toEqual([{ path: 'source.url', message: 'Required' }])
    expect(configIssues('validate', { rules: [{ column: '', rule: 'in_set', values: [] }] })).toEqual([
      { path: 'rules.0.column', message: 'Must not be empty' },
      { path: 'rules.0.values', message: 'Add at least one entry' },
    ])
  })

  it('says an unknown option or rule is not one of the options', () => {
    expect(configIssues('validate', { mode: 'loud', rules: [{ column: 'x', rule: 'nope' }] })).toEqual([
      { path: 'mode', message: 'Not one of the options' },
      { path: 'rules.0.rule', message: 'Not one of the options' },
    ])
  })

  it('keeps the schema’s own messages', () => {
    expect(configIssues('ingest', { source: { type: 'url', url: 'ftp://example.com/a.csv' } })).toEqual([
      { path: 'source.url', message: 'must be an http:// or https:// address' },
    ])
  })

  it('finds nothing wrong with a valid config', () => {
    expect(configIssues('ingest', defaultConfig('ingest'))).toEqual([])
  })
})

describe('where issues are shown', () => {
  it('puts an unknown key inside a rule on that rule’s card, and an unknown top-level key above the form', () => {
    const config = { rules: [{ column: 'x', rule: 'unique', extra: 1 }], colour: 'red' }
    const { byPath, unplaced } = placeIssues(configIssues('validate', config), visibleFieldPaths(validate, config))
    expect(byPath.get('rules.0')).toEqual(['Unknown setting "extra"'])
    expect(unplaced).toEqual([{ path: 'colour', message: 'Unknown setting "colour"' }])
  })

  it('has a field for every property, list entry and chosen variant’s fields, and none for unknown keys', () => {
    const paths = visibleFieldPaths(validate, { rules: [{ column: 'x', rule: 'between' }], extra: 1 })
    expect([...paths]).toEqual(expect.arrayContaining(['mode', 'rules', 'rules.0', 'rules.0.rule', 'rules.0.column', 'rules.0.min']))
    expect(paths.has('extra')).toBe(false)
    expect(paths.has('rules.0.values')).toBe(false)
  })
})

describe('scalar list entries', () => {
  const scalars = ['string', 'number', 'boolean'] as const

  it('turns number-looking entries into numbers and true/false into booleans', () => {
    expect(parseListEntry('7', scalars)).toBe(7)
    expect(parseListEntry('-2.5', scalars)).toBe(-2.5)
    expect(parseListEntry('true', scalars)).toBe(true)
    expect(parseListEntry('false', scalars)).toBe(false)
  })

  it('keeps everything else as typed, spaces and empty entries included', () => {
    expect(parseListEntry('Adelie', scalars)).toBe('Adelie')
    expect(parseListEntry('1e', scalars)).toBe('1e')
    expect(parseListEntry('', scalars)).toBe('')
    expect(parseListEntry('True', scalars)).toBe('True')
    expect(parseListEntry(' 7', scalars)).toBe(' 7')
  })

  it('keeps numbers that would not write back the same as text, so text comparison still matches', () => {
    expect(parseListEntry('007', scalars)).toBe('007')
    expect(parseListEntry('1.0', scalars)).toBe('1.0')
    expect(parseListEntry('1e2', scalars)).toBe('1e2')
  })

  it('leaves a plain string list alone', () => {
    expect(parseListEntry('7', ['string'])).toBe('7')
    expect(parseListEntry('true', ['string'])).toBe('true')
  })

  it('reads numbers as a user types them', () => {
    expect(parseNumber(' 12 ')).toBe(12)
    expect(parseNumber('.5')).toBe(0.5)
    expect(parseNumber('1e')).toBeUndefined()
    expect(parseNumber('0x10')).toBeUndefined()
    expect(parseNumber('1e999')).toBeUndefined()
    expect(parseNumber('')).toBeUndefined()
  })
})

describe('labels and summaries', () => {
  it('humanises property names', () => {
    expect(humanise('nullValues')).toBe('Null values')
    expect(humanise('badRows')).toBe('Bad rows')
    expect(humanise('artifactId')).toBe('Artifact ID')
    expect(humanise('url')).toBe('URL')
  })

  it('sums up a rule card as its column and rule', () => {
    const rules = as(field(validate, 'rules').spec, 'objectList')
    expect(itemSummary({ column: 'bill_length_mm', rule: 'between', min: 30 }, rules.item)).toBe('bill_length_mm · between')
    expect(itemSummary({ rule: 'unique' }, rules.item)).toBe('unique')
    const columns = as(field(validate, 'columns').spec, 'objectList')
    expect(itemSummary({ name: 'species', type: 'string' }, columns.item)).toBe('species')
  })
})

describe('editing a config by path', () => {
  it('copies only what it changes and removes emptied fields', () => {
    const config = { mode: 'fail', rules: [{ column: 'a', rule: 'between', min: 1 }] }
    const next = setAt(config, ['rules', 0, 'min'], undefined)
    expect(next).toEqual({ mode: 'fail', rules: [{ column: 'a', rule: 'between' }] })
    expect(config.rules[0]).toHaveProperty('min', 1)
    expect(getAt(setAt({}, ['rules', 0, 'column'], 'x'), ['rules', 0, 'column'])).toBe('x')
    expect(listMoved(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b'])
  })
})

describe('the transform form', () => {
  const spec = configSpec('transform')!
  const steps = spec.fields.find((f) => f.name === 'steps')!.spec
  const union = steps.type === 'objectList' && steps.item.type === 'union' ? steps.item : undefined
  const variant = (op: string) => union!.variants.find((v) => v.value === op)!.spec.fields
  const field = (op: string, name: string) => variant(op).find((f) => f.name === name)!.spec

  it('lists steps as a union by `op`, labelled by what each step does', () => {
    expect(union?.discriminator).toBe('op')
    expect(union?.variants.map((v) => v.label)).toEqual([
      'Drop columns',
      'Rename columns',
      'Change type',
      'Fill missing values',
      'Remove duplicates',
      'Filter rows',
      'Compute a column',
      'One-hot encode',
      'Bin numbers',
      'Scale numbers',
      'Parse dates',
    ])
  })

  it('edits lists of column names as entries offering the upstream columns', () => {
    expect(field('drop', 'columns')).toEqual({ type: 'stringList', itemTypes: ['string'], columns: true, minItems: 1 })
    expect(field('dedupe', 'columns')).toEqual({ type: 'stringList', itemTypes: ['string'], columns: true })
  })

  it('edits a value that may be text, a number or a boolean as one typed entry', () => {
    expect(field('fill_nulls', 'value')).toEqual({ type: 'scalar', itemTypes: ['string', 'number', 'boolean'] })
    const conditions = field('filter', 'conditions')
    const between = conditions.type === 'objectList' && conditions.item.type === 'union' ? conditions.item.variants.find((v) => v.value === 'between') : undefined
    expect(between?.spec.fields.map((f) => [f.name, f.spec.type])).toEqual([
      ['column', 'column'],
      ['min', 'scalar'],
      ['max', 'scalar'],
    ])
  })

  it('edits the SQL in a monospace text area and starts with no steps', () => {
    expect(spec.fields.find((f) => f.name === 'sql')!.spec).toEqual({ type: 'text', minLength: 1, maxLength: 100_000, multiline: true, code: true })
    expect(defaultConfig('transform')).toEqual({ steps: [] })
  })
})
