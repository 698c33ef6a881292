import { z } from 'zod'
import { useCaseFields, type UseCaseFields } from './model'

/**
 * The use-case board as CSV, for PMs who keep their list in a spreadsheet. Pure and isomorphic:
 * the browser previews an import with it and the server imports with it.
 *
 * - Export: one column per field (the keys, in the schema's order), RFC 4180 quoting, CRLF line
 *   ends. A text cell a spreadsheet would run as a formula gets a leading apostrophe.
 * - Import: header names may be the keys or the human labels ("Dev cost (EUR)"); missing columns
 *   get the schema's defaults. Cells are coerced by the field's kind, then every row is checked by
 *   the same zod schema as the API. All errors of all rows are reported (up to 200), each naming
 *   the row as the spreadsheet numbers it (header = row 1) and the field.
 */

type FieldKey = keyof UseCaseFields
export type CsvError = { row: number; field: string; message: string }
/** `ids[i]` is row i's `id` cell (null when empty or absent), `rowNumbers[i]` its spreadsheet row; `columns` are the fields the file has. */
export type CsvImportResult = { ok: true; rows: UseCaseFields[]; ids: (string | null)[]; rowNumbers: number[]; columns: FieldKey[] } | { ok: false; errors: CsvError[] }

export const csvColumns = Object.keys(useCaseFields.shape) as readonly FieldKey[]

/** Enough to fix a file in one go, not so many that the list is unreadable. */
const maxErrors = 200
/** The only field where "80 %" is a natural way to write the number. */
const percentFields: ReadonlySet<FieldKey> = new Set(['confidence'])
/** Cells a spreadsheet treats as a formula (CWE-1236); an apostrophe of our own is escaped too so it survives the round trip. */
const formulaStart = /^[=+\-@\t\r']/
/** Plain decimals only: "1,200" or "12k" are errors rather than guesses. */
const plainDecimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/

/** Thrown by parseCsv when the text is not CSV; says where, so the PM can find it in an editor. */
export class CsvSyntaxError extends Error {
  /** the file's line (as a text editor counts) */
  readonly line: number
  /** the row (as a spreadsheet counts: a quoted newline does not start a row) */
  readonly row: number
  constructor(message: string, line: number, row: number) {
    super(message)
    this.name = 'CsvSyntaxError'
    this.line = line
    this.row = row
  }
}

export function formatCsvError(e: CsvError): string {
  return `row ${e.row}, field ${e.field}: ${e.message}`
}

// ---- export ----

/** With `ids`, an `id` column comes first, so an edited export updates those use cases on import. */
export function useCasesToCsv(rows: UseCaseFields[], ids?: string[]): string {
  const header = ids ? ['id', ...csvColumns] : [...csvColumns]
  const line = (row: UseCaseFields, index: number) => [...(ids ? [ids[index]!] : []), ...csvColumns.map((key) => formatCell(row[key]))]
  const lines = [header.map(quoteCell), ...rows.map(line)]
  return lines.map((cells) => cells.join(',') + '\r\n').join('')
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return formatNumber(value)
  const text = String(value)
  return quoteCell(formulaStart.test(text) ? `'${text}` : text)
}

function quoteCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Never "1e+21": the importer reads plain decimals only. 17 significant digits round-trip any double. */
function formatNumber(n: number): string {
  const plain = String(n)
  return /e/i.test(plain) ? n.toLocaleString('en-US', { useGrouping: false, maximumSignificantDigits: 17 }) : plain
}

// ---- parsing ----

/**
 * RFC 4180, leniently: a quote inside an unquoted cell is kept as text, and a lone CR also ends
 * a line. Blank lines in the middle stay (as `['']`) so row numbers match the spreadsheet's.
 */
export function parseCsv(text: string): string[][] {
  const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text
  const hint = excelSeparatorHint.exec(withoutBom)
  // Excel hides its "sep=;" line, so the header is row 1 with or without it
  const source = hint ? withoutBom.slice(hint[0].length) : withoutBom
  const records = hint ? readRecords(source, hint[1]!, 2) : readRecords(source, detectDelimiter(source))
  while (records.length > 0 && isBlankLine(records[records.length - 1]!)) records.pop()
  return records
}

/** Excel's own first line naming the delimiter, e.g. `sep=;`. */
const excelSeparatorHint = /^sep=([,;\t|])\r?\n/i

/** European Excel writes ";" where the decimal separator is a comma. */
function detectDelimiter(source: string): ',' | ';' {
  const header = source.split(/\r|\n/, 1)[0] ?? ''
  return !header.includes(',') && header.includes(';') ? ';' : ','
}

function isBlankLine(record: string[]): boolean {
  return record.length === 1 && record[0] === ''
}

/** `firstLine`: the file's line the source starts on (2 after a `sep=` line), for error messages. */
function readRecords(source: string, delimiter: string, firstLine = 1): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let cell = ''
  let atCellStart = true
  let line = firstLine
  let i = 0
  while (i < source.length) {
    const ch = source[i]!
    if (ch === '"' && atCellStart) {
      const quoted = readQuoted(source, i + 1, line, records.length + 1)
      cell += quoted.value
      line += quoted.lineBreaks
      i = quoted.end
      atCellStart = false
    } else if (ch === delimiter) {
      record.push(cell)
      cell = ''
      atCellStart = true
      i++
    } else if (ch === '\r' || ch === '\n') {
      record.push(cell)
      records.push(record)
      record = []
      cell = ''
      atCellStart = true
      line++
      i += ch === '\r' && source[i + 1] === '\n' ? 2 : 1
    } else {
      cell += ch
      atCellStart = false
      i++
    }
  }
  if (!atCellStart || record.length > 0) records.push([...record, cell])
  return records
}

/** Reads a quoted cell from just after its opening quote; `end` is just after its closing quote. */
function readQuoted(source: string, start: number, line: number, row: number) {
  let value = ''
  let lineBreaks = 0
  for (let i = start; i < source.length; i++) {
    const ch = source[i]!
    if (ch === '"') {
      if (source[i + 1] !== '"') return { value, end: i + 1, lineBreaks }
      value += '"'
      i++
      continue
    }
    if (ch === '\n' || (ch === '\r' && source[i + 1] !== '\n')) lineBreaks++
    value += ch
  }
  throw new CsvSyntaxError(`unterminated quote: the quoted cell starting on line ${line} never closes`, line, row)
}

// ---- import ----

type FieldKind = { type: 'number' } | { type: 'enum'; options: readonly string[] } | { type: 'text' }
type CellResult = { ok: true; value: unknown } | { ok: false; message: string }

/** Read from the schema so a new field imports without touching this file. */
function fieldKind(schema: z.ZodType): FieldKind {
  let inner = schema
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) inner = inner.unwrap() as z.ZodType
  if (inner instanceof z.ZodNumber) return { type: 'number' }
  if (inner instanceof z.ZodEnum) return { type: 'enum', options: inner.options as string[] }
  return { type: 'text' }
}

const fieldKinds = new Map(csvColumns.map((key) => [key, fieldKind(useCaseFields.shape[key] as z.ZodType)]))

/** "Dev cost (EUR)", "dev_cost" and "devCost" all name the same column. */
function normaliseHeader(name: string): string {
  return name
    .replace(/\([^)]*\)|\[[^\]]*\]/g, '')
    .replace(/[\s_-]+/g, '')
    .toLowerCase()
}

const columnsByName = new Map(csvColumns.map((key) => [normaliseHeader(key), key]))

/** The optional `id` column: it names the use case a row updates. */
type Column = FieldKey | 'id'
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function readHeader(cells: string[]): { columns: Column[]; errors: CsvError[] } {
  const columns: Column[] = []
  const errors: CsvError[] = []
  const seen = new Map<Column, string>()
  cells.forEach((cell, index) => {
    const key: Column | undefined = normaliseHeader(cell) === 'id' ? 'id' : columnsByName.get(normaliseHeader(cell))
    const field = cell.trim() || `(column ${index + 1})`
    if (!key) return void errors.push({ row: 1, field, message: `unknown column; expected id or one of ${csvColumns.join(', ')}` })
    if (seen.has(key)) errors.push({ row: 1, field, message: `duplicate column (same as "${seen.get(key)}")` })
    seen.set(key, field)
    columns.push(key)
  })
  if (!seen.has('title')) errors.push({ row: 1, field: 'title', message: 'missing column' })
  return { columns, errors }
}

/** `value: undefined` leaves the field out, so the schema's default applies. */
function coerceCell(key: FieldKey, raw: string): CellResult {
  const kind = fieldKinds.get(key) ?? { type: 'text' }
  if (kind.type === 'text') return { ok: true, value: unguardFormula(raw) }
  const text = raw.trim()
  if (text === '') return { ok: true, value: undefined }
  if (kind.type === 'enum') return { ok: true, value: kind.options.find((o) => o.toLowerCase() === text.toLowerCase()) ?? text }
  return parseNumber(text, percentFields.has(key))
}

/** Undoes our export's formula guard only: "'tis" stays as it is, "'=1+1" becomes "=1+1". */
function unguardFormula(text: string): string {
  return text.startsWith("'") && formulaStart.test(text.slice(1)) ? text.slice(1) : text
}

function parseNumber(text: string, allowPercent: boolean): CellResult {
  const digits = allowPercent && text.endsWith('%') ? text.slice(0, -1).trimEnd() : text
  if (!plainDecimal.test(digits)) return { ok: false, message: `must be a number (got "${text}")` }
  return { ok: true, value: Number(digits) }
}

function importRow(cells: string[], columns: Column[], row: number): { fields: UseCaseFields; id: string | null } | { errors: CsvError[] } {
  if (cells.length > columns.length) {
    return { errors: [{ row, field: '(row)', message: `has ${cells.length} cells but the header has ${columns.length} columns` }] }
  }
  const input: Record<string, unknown> = {}
  const errors: CsvError[] = []
  let id: string | null = null
  columns.forEach((key, index) => {
    if (key === 'id') {
      id = (cells[index] ?? '').trim() || null
      if (id !== null && !uuidPattern.test(id)) errors.push({ row, field: 'id', message: `must be a use case id, or empty for a new one (got "${id}")` })
      return
    }
    const result = coerceCell(key, cells[index] ?? '')
    if (!result.ok) errors.push({ row, field: key, message: result.message })
    else if (result.value !== undefined) input[key] = result.value
  })
  const parsed = useCaseFields.safeParse(input)
  if (!parsed.success) errors.push(...parsed.error.issues.map((i) => ({ row, field: i.path.join('.'), message: i.message })))
  return errors.length > 0 || !parsed.success ? { errors } : { fields: parsed.data, id }
}

/** Everything or nothing is up to the caller: `ok` only when not one row has an error. */
export function useCasesFromCsv(text: string): CsvImportResult {
  let records: string[][]
  try {
    records = parseCsv(text)
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { ok: false, errors: [{ row: e.row, field: '(file)', message: e.message }] }
    throw e
  }
  const header = readHeader(records[0] ?? [])
  if (header.errors.length > 0) return { ok: false, errors: header.errors }
  const rows: UseCaseFields[] = []
  const ids: (string | null)[] = []
  const rowNumbers: number[] = []
  const errors: CsvError[] = []
  for (let index = 1; index < records.length && errors.length < maxErrors; index++) {
    const cells = records[index]!
    if (cells.every((cell) => cell.trim() === '')) continue
    const result = importRow(cells, header.columns, index + 1)
    if ('fields' in result) {
      rows.push(result.fields)
      ids.push(result.id)
      rowNumbers.push(index + 1)
    } else errors.push(...result.errors)
  }
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, maxErrors) }
  return { ok: true, rows, ids, rowNumbers, columns: header.columns.filter((c): c is FieldKey => c !== 'id') }
}
