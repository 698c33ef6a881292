import type { FieldEntry, ObjectSpec, UnionSpec } from './field-spec'

const ACRONYMS: Record<string, string> = { id: 'ID', url: 'URL', uri: 'URI', csv: 'CSV', tsv: 'TSV', json: 'JSON', iqr: 'IQR' }

/** "nullValues" → "Null values", "artifactId" → "Artifact ID", "bad_rows" → "Bad rows". */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase())
  const sentence = words.join(' ')
  return sentence.charAt(0).toUpperCase() + sentence.slice(1)
}

export function fieldLabel(entry: Pick<FieldEntry, 'name' | 'title'>): string {
  return entry.title ?? humanise(entry.name)
}

/** "Rules" → "Rule", for "Add rule" and "Rule 2"; good enough for property names. */
export function singular(label: string): string {
  return /[^s]s$/.test(label) ? label.slice(0, -1) : label
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * One line naming a list item on its collapsed card: its column (or name) and its
 * discriminator, e.g. "bill_length_mm · between". Empty when the item names neither.
 */
export function itemSummary(item: unknown, spec: ObjectSpec | UnionSpec): string {
  if (!isRecord(item)) return ''
  const object = spec.type === 'union' ? spec.variants.find((v) => v.value === item[spec.discriminator])?.spec : spec
  const nameField =
    object?.fields.find((f) => f.spec.type === 'column') ?? object?.fields.find((f) => f.name === 'name' || f.name === 'column')
  const name = nameField ? item[nameField.name] : undefined
  const kind = spec.type === 'union' ? item[spec.discriminator] : undefined
  return [name, kind].filter((part) => part !== undefined && part !== '').map(String).join(' · ')
}
