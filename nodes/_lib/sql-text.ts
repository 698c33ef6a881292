// Isomorphic: quoting and type names for the SQL the server runs and the browser shows. No DuckDB
// import here, so node definitions and views may use it (duckdb.ts re-exports it for the server).

/** A SQL identifier, always double-quoted: `temp [°C]` → `"temp [°C]"`, `a "b"` → `"a ""b"""`. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** A SQL string literal: `it's` → `'it''s'`. NUL characters, which SQL strings cannot hold, are dropped. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll('\0', '').replaceAll("'", "''")}'`
}

/** A SQL literal for a JSON-ish scalar: strings quoted, finite numbers as they are, booleans, NULL. */
export function sqlValue(value: string | number | boolean | null): string {
  if (value === null) return 'NULL'
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `CAST(${quoteLiteral(String(value))} AS DOUBLE)`
    return String(value)
  }
  return quoteLiteral(value)
}

/** The broad kind of a DuckDB type name as DESCRIBE prints it (`BIGINT`, `DECIMAL(9,2)`, `VARCHAR[]` …). */
export type ValueKind = 'integer' | 'number' | 'boolean' | 'string' | 'date' | 'timestamp' | 'time' | 'other'

const integerTypes = new Set([
  'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT',
  'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'BIGNUM',
])

export function valueKind(duckType: string): ValueKind {
  const type = duckType.trim().toUpperCase()
  if (type.endsWith(']') || type.startsWith('STRUCT') || type.startsWith('MAP') || type.startsWith('UNION')) return 'other'
  if (integerTypes.has(type)) return 'integer'
  if (type === 'FLOAT' || type === 'DOUBLE' || type === 'REAL' || type.startsWith('DECIMAL')) return 'number'
  if (type === 'BOOLEAN') return 'boolean'
  if (type === 'VARCHAR' || type === 'UUID' || type.startsWith('ENUM')) return 'string'
  if (type === 'DATE') return 'date'
  if (type.startsWith('TIMESTAMP')) return 'timestamp'
  if (type.startsWith('TIME')) return 'time'
  return 'other'
}

export function isNumericKind(kind: ValueKind): boolean {
  return kind === 'integer' || kind === 'number'
}
