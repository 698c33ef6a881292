// Server-only: a small, safe way to use DuckDB from executors and the server.
//
// Every session is its own in-memory DuckDB instance: opened, used, and always closed again,
// even when the work fails or the run is canceled (cancellation interrupts the running query).
import {
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBConnection,
  type DuckDBResultReader,
  type DuckDBType,
} from '@duckdb/node-api'

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
export type JsonRow = Record<string, JsonValue>

export interface DuckDBOptions {
  /** aborting it interrupts the running query; the session then throws the signal's reason */
  signal?: AbortSignal
  /** worker threads; DuckDB's default is one per core */
  threads?: number
  /** where DuckDB may spill to disk when memory runs short (default: DuckDB's `.tmp`) */
  tempDirectory?: string
  /** e.g. '4GB'; DuckDB's default is 80% of the machine's memory */
  memoryLimit?: string
}

export interface DuckSession {
  readonly connection: DuckDBConnection
  /** run SQL (one or more statements) and ignore any result */
  exec(sql: string): Promise<void>
  /** run a query and return its rows as JSON-safe objects (see {@link readerToJsonRows}) */
  rows(sql: string): Promise<JsonRow[]>
  /** the first row of a query, or undefined */
  one(sql: string): Promise<JsonRow | undefined>
  /** run a query and hand back DuckDB's reader (raw values, column types) */
  read(sql: string): Promise<DuckDBResultReader>
  /** throws the abort reason if the session's signal was aborted */
  checkAborted(): void
}

// One in-memory instance per process, shared by every session that needs no instance settings of
// its own: opening an instance costs ~25 ms, a connection ~0.5 ms. Temporary tables and session
// settings are per connection, so sessions do not see each other.
const shared = globalThis as unknown as { __pipewrightDuckDB?: Promise<DuckDBInstance> }

function sharedInstance(): Promise<DuckDBInstance> {
  shared.__pipewrightDuckDB ??= DuckDBInstance.create(':memory:')
  return shared.__pipewrightDuckDB
}

/**
 * Opens a DuckDB session, hands it to `work`, and always closes it afterwards. Sessions share one
 * in-memory instance unless `options` asks for instance settings (threads, memory, temp folder).
 * Timestamps with a time zone are shown in UTC.
 */
export async function withDuckDB<T>(work: (db: DuckSession) => Promise<T>, options: DuckDBOptions = {}): Promise<T> {
  const { signal } = options
  signal?.throwIfAborted()
  const settings: Record<string, string> = {}
  if (options.threads !== undefined) settings.threads = String(options.threads)
  if (options.tempDirectory !== undefined) settings.temp_directory = options.tempDirectory
  if (options.memoryLimit !== undefined) settings.memory_limit = options.memoryLimit
  const ownInstance = Object.keys(settings).length > 0 ? await DuckDBInstance.create(':memory:', settings) : undefined
  const instance = ownInstance ?? (await sharedInstance())
  let connection: DuckDBConnection | undefined
  const onAbort = () => connection?.interrupt()
  try {
    connection = await instance.connect()
    signal?.addEventListener('abort', onAbort, { once: true })
    await connection.run(`SET TimeZone = 'UTC'`)
    const conn = connection
    const guard = async <R>(action: () => Promise<R>): Promise<R> => {
      signal?.throwIfAborted()
      try {
        return await action()
      } catch (error) {
        signal?.throwIfAborted()
        throw error
      }
    }
    const session: DuckSession = {
      connection: conn,
      exec: (sql) => guard(async () => void (await conn.run(sql))),
      read: (sql) => guard(() => conn.runAndReadAll(sql)),
      rows: (sql) => guard(async () => readerToJsonRows(await conn.runAndReadAll(sql))),
      one: (sql) => guard(async () => readerToJsonRows(await conn.runAndReadAll(sql))[0]),
      checkAborted: () => signal?.throwIfAborted(),
    }
    return await work(session)
  } finally {
    signal?.removeEventListener('abort', onAbort)
    connection?.closeSync()
    ownInstance?.closeSync()
  }
}

export { isNumericKind, quoteIdent, quoteLiteral, sqlValue, valueKind, type ValueKind } from './sql-text'

/**
 * Rows of a DuckDB result as JSON-safe objects: BIGINT and friends become numbers when they fit
 * exactly (else decimal strings), DECIMAL becomes a number, DATE stays `YYYY-MM-DD`, timestamps become
 * ISO 8601 strings (`2024-01-02T10:00:00`, `…Z` for UTC times), NaN/Infinity become the strings
 * 'NaN'/'Infinity', BLOBs become escaped text, lists and structs become arrays and objects.
 */
export function readerToJsonRows(reader: DuckDBResultReader): JsonRow[] {
  const names = reader.columnNames()
  const fixers = reader.columnTypes().map(jsonFixer)
  return reader.getRowsJson().map((values) => {
    const row: JsonRow = {}
    names.forEach((name, i) => {
      const value = (values[i] ?? null) as JsonValue
      const fix = fixers[i]
      setKey(row, name, fix && value !== null ? fix(value) : value)
    })
    return row
  })
}

type Fixer = (value: JsonValue) => JsonValue

/** obj[key] = value, also for a column called "__proto__" (which plain assignment would swallow) */
function setKey(obj: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}

/** How to finish DuckDB's own JSON form of a value of this type; undefined when it is fine as it is. */
function jsonFixer(type: DuckDBType): Fixer | undefined {
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return (v) => {
        const n = Number(v)
        return Number.isSafeInteger(n) ? n : v
      }
    case DuckDBTypeId.DECIMAL:
      return (v) => {
        const n = Number(v)
        return Number.isFinite(n) ? n : v
      }
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (v) => (typeof v === 'string' ? isoTimestamp(v) : v)
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const item = jsonFixer(type.valueType)
      return item ? (v) => (Array.isArray(v) ? v.map((x) => (x === null ? x : item(x))) : v) : undefined
    }
    case DuckDBTypeId.STRUCT: {
      const fixers = type.entryTypes.map(jsonFixer)
      if (fixers.every((f) => f === undefined)) return undefined
      return (v) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
        const out: { [key: string]: JsonValue } = {}
        type.entryNames.forEach((name, i) => {
          const x = v[name] ?? null
          const fix = fixers[i]
          setKey(out, name, fix && x !== null ? fix(x) : x)
        })
        return out
      }
    }
    case DuckDBTypeId.MAP: {
      const key = jsonFixer(type.keyType)
      const value = jsonFixer(type.valueType)
      if (!key && !value) return undefined
      return (v) =>
        Array.isArray(v)
          ? v.map((entry) => {
              if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry
              const k = entry.key ?? null
              const x = entry.value ?? null
              return { key: key && k !== null ? key(k) : k, value: value && x !== null ? value(x) : x }
            })
          : v
    }
    default:
      return undefined
  }
}

function isoTimestamp(text: string): string {
  const match = /^(-?\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)(\+00(?::00)?)?$/.exec(text)
  if (!match) return text
  return `${match[1]}T${match[2]}${match[3] ? 'Z' : ''}`
}

/** DuckDB's error message without its stack of hints: the first line, minus the "… Error: " prefix. */
export function duckdbMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  const first = text.split('\n').find((line) => line.trim() !== '') ?? text
  return first.replace(/^[A-Za-z ]*Error: /, '').trim()
}
