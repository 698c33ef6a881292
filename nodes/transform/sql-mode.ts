// Server-only: the transform's SQL mode. The user's query runs in a DuckDB instance of its own —
// never the shared one in _lib/duckdb.ts — whose settings are locked before the query is seen:
// no file but the input and the output, no network, no extensions. On top of that only exactly
// one SELECT (or WITH … SELECT) is accepted, checked by DuckDB's own parser before anything binds.
import { mkdir } from 'node:fs/promises'
import { DuckDBInstance, StatementType, type DuckDBConnection } from '@duckdb/node-api'
import { StepError } from '../contract'
import { duckdbMessage, quoteLiteral } from '../_lib/duckdb'
import { sandboxRules } from './definition'

export interface SandboxOptions {
  inputPath: string
  outputPath: string
  /** where DuckDB may spill to disk; created if missing */
  tempDirectory: string
  signal?: AbortSignal
}

/**
 * Runs `sql` over the input Parquet (as the view `input`) and writes its result to `outputPath`.
 * Gives the number of rows written. Every refusal and every error of the user's query is a StepError.
 */
export async function runSandboxedSelect(sql: string, options: SandboxOptions): Promise<number> {
  const { signal } = options
  signal?.throwIfAborted()
  await mkdir(options.tempDirectory, { recursive: true })
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    temp_directory: options.tempDirectory,
  })
  let connection: DuckDBConnection | undefined
  const onAbort = () => connection?.interrupt()
  try {
    connection = await instance.connect()
    signal?.addEventListener('abort', onAbort, { once: true })
    await lockDown(connection, options)
    const query = await checkedSelect(connection, sql)
    const copy = `COPY (\n${query}\n) TO ${quoteLiteral(options.outputPath)} (FORMAT parquet)`
    await assertOneStatement(connection, copy, StatementType.COPY)
    try {
      const result = await connection.runAndReadAll(copy)
      return Number(result.getRowsJson()[0]?.[0] ?? 0)
    } catch (error) {
      signal?.throwIfAborted()
      throw queryError(error)
    }
  } finally {
    signal?.removeEventListener('abort', onAbort)
    connection?.closeSync()
    instance.closeSync()
  }
}

/** The input as a view, then external access off for everything but the input, the output and the spill folder, then locked. */
async function lockDown(connection: DuckDBConnection, options: SandboxOptions): Promise<void> {
  const paths = [options.inputPath, options.outputPath].map(quoteLiteral).join(', ')
  await connection.run(`SET TimeZone = 'UTC'`)
  await connection.run(`CREATE VIEW input AS SELECT * FROM read_parquet(${quoteLiteral(options.inputPath)})`)
  await connection.run(`SET allowed_paths = [${paths}]`)
  await connection.run(`SET allowed_directories = [${quoteLiteral(options.tempDirectory)}]`)
  await connection.run(`SET enable_external_access = false`)
  await connection.run(`SET lock_configuration = true`)
}

interface SerializedSql {
  error: boolean
  error_type?: string
  error_message?: string
  position?: string
  statements?: unknown[]
}

/**
 * The query text if it is exactly one SELECT: first parsed only (json_serialize_sql serialises
 * nothing but SELECT statements and binds nothing), then prepared to confirm the statement type.
 * Trailing semicolons are dropped so the query can be wrapped in COPY ( … ).
 */
async function checkedSelect(connection: DuckDBConnection, sql: string): Promise<string> {
  const query = sql.replace(/[\s;]+$/, '')
  const parsed = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [query])
  const json = JSON.parse(String(parsed.getRowsJson()[0]?.[0])) as SerializedSql
  if (json.error) {
    if (json.error_type === 'parser') {
      const at = json.position === undefined ? undefined : Number(json.position)
      throw new StepError(`The SQL does not parse: ${json.error_message ?? 'syntax error'}${at === undefined ? '' : pointer(query, at)}`)
    }
    throw notOneSelect(query)
  }
  const count = json.statements?.length ?? 0
  if (count !== 1) throw new StepError(`The SQL must be exactly one SELECT statement; this is ${count} statements.`)
  await assertOneStatement(connection, query, StatementType.SELECT)
  return query
}

async function assertOneStatement(connection: DuckDBConnection, sql: string, type: StatementType): Promise<void> {
  let statementType: StatementType
  try {
    const extracted = await connection.extractStatements(sql)
    if (extracted.count !== 1) throw notOneSelect(sql)
    statementType = (await extracted.prepare(0)).statementType
  } catch (error) {
    if (error instanceof StepError) throw error
    throw queryError(error)
  }
  if (statementType !== type) throw notOneSelect(sql)
}

function notOneSelect(sql: string): StepError {
  const first = /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase()
  return new StepError(
    `The SQL must be one SELECT statement (WITH … SELECT is fine)${first && first !== 'SELECT' && first !== 'WITH' ? `, not ${first}` : ''}. ${sandboxRules}`,
  )
}

/** DuckDB's message, with what the sandbox allows when it was the sandbox that said no. */
function queryError(error: unknown): StepError {
  const message = duckdbMessage(error)
  const text = error instanceof Error ? error.message : String(error)
  if (/Permission Error|disabled by configuration|locked/i.test(text)) {
    return new StepError(`The query is not allowed: ${message}. ${sandboxRules}`, { cause: error })
  }
  return new StepError(`The query failed: ${message}`, { cause: error })
}

/** Where a parse error is: the line, and a caret under the character. */
function pointer(sql: string, position: number): string {
  const before = sql.slice(0, position)
  const lineStart = before.lastIndexOf('\n') + 1
  const lineEnd = sql.indexOf('\n', position)
  const line = sql.slice(lineStart, lineEnd < 0 ? undefined : lineEnd)
  const lineNumber = before.split('\n').length
  return ` (line ${lineNumber}, character ${position - lineStart + 1})\n${line}\n${' '.repeat(position - lineStart)}^`
}
