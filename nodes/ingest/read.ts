// Server-only: reading a local file of a known format into a Parquet file with DuckDB.
import { createReadStream } from 'node:fs'
import { open, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createGunzip } from 'node:zlib'
import { StepError } from '../contract'
import { duckdbMessage, quoteIdent, quoteLiteral, type DuckSession } from '../_lib/duckdb'
import type { FileFormat } from './definition'
import type { Compression } from './formats'

export interface SourceFile {
  path: string
  /** how the user knows the file, for messages */
  displayName: string
  format: FileFormat
  compression: Compression
}

export interface BadRow {
  /** 1-based line in the file (the header is line 1 for CSV/TSV) */
  line: number
  reason: string
}

export interface ReadOutcome {
  rowCount: number
  /** rows dropped because badRows is 'skip' */
  skipped: { count: number; examples: BadRow[] }
  /** columns read as text because some values did not fit the type DuckDB guessed */
  textColumns: string[]
}

export interface ReadOptions {
  badRows: 'fail' | 'skip'
  /** CSV/TSV cells that mean "missing" */
  nullValues: string[]
  workDir: string
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void
}

const maxExamples = 5
const invalidUtf8 = 'invalid UTF-8'

/** Fails with a clear StepError for an empty (or whitespace-only) file. */
export async function assertNotEmpty(file: SourceFile): Promise<void> {
  const { size } = await stat(file.path)
  if (size === 0) throw new StepError(`${file.displayName} is empty.`)
  if (size > 4096 || file.compression !== 'none') return
  const handle = await open(file.path)
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(size), 0, size, 0)
    if (buffer.subarray(0, bytesRead).toString('latin1').trim() === '') {
      throw new StepError(`${file.displayName} is empty: it holds only blank space.`)
    }
  } finally {
    await handle.close()
  }
}

/** A Parquet file announces itself with PAR1; a text format given one is surely mislabelled. */
async function assertNotParquetInDisguise(file: SourceFile): Promise<void> {
  if (file.compression !== 'none') return
  const handle = await open(file.path)
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0)
    if (bytesRead === 4 && buffer.toString('latin1') === 'PAR1') {
      throw new StepError(`${file.displayName} is a Parquet file, not ${file.format.toUpperCase()}; set the source's format to parquet.`)
    }
  } finally {
    await handle.close()
  }
}

/** DuckDB silently mangles a header line that is not valid UTF-8, so check it first. */
async function assertHeaderIsUtf8(file: SourceFile): Promise<void> {
  if (file.compression !== 'none') return
  const handle = await open(file.path)
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(1 << 20), 0, 1 << 20, 0)
    const data = buffer.subarray(0, bytesRead)
    const end = data.indexOf(10)
    // a line cut at the buffer's end may split a character: then leave its last 3 bytes out
    const line = end >= 0 ? data.subarray(0, end) : data.subarray(0, Math.max(0, bytesRead - (bytesRead === 1 << 20 ? 3 : 0)))
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(line)
    } catch {
      throw new StepError(`Line 1 (the header) of ${file.displayName} is not valid UTF-8: save the file as UTF-8.`)
    }
  } finally {
    await handle.close()
  }
}

/** DuckDB's message for a file it could not read at all, in the user's terms. */
function csvFailure(error: unknown, file: SourceFile): string {
  const message = duckdbMessage(error)
  if (/sniffing file/i.test(message)) {
    return 'its layout (delimiter, quoting, header) could not be detected. Is it really a text file in that format, saved as UTF-8?'
  }
  return cleanMessage(message, file)
}

/** A DuckDB message without the scratch path of the file. */
function cleanMessage(message: string, file: SourceFile): string {
  return message
    .replace(/ in file "[^"]*"/g, '')
    .replaceAll(`'${file.path}'`, 'the file')
    .replaceAll(`"${file.path}"`, 'the file')
    .replaceAll(file.path, 'the file')
}

export async function readToParquet(db: DuckSession, file: SourceFile, out: string, options: ReadOptions): Promise<ReadOutcome> {
  await assertNotEmpty(file)
  switch (file.format) {
    case 'csv':
    case 'tsv':
      await assertNotParquetInDisguise(file)
      await assertHeaderIsUtf8(file)
      return readDelimited(db, file, out, options)
    case 'json':
    case 'ndjson':
      await assertNotParquetInDisguise(file)
      return readJson(db, file, out, options)
    case 'parquet':
      return readParquet(db, file, out)
  }
}

async function copyTo(db: DuckSession, select: string, out: string): Promise<number> {
  const result = await db.one(`COPY (${select}) TO ${quoteLiteral(out)} (FORMAT parquet)`)
  return Number(result?.Count ?? 0)
}

// ---- CSV / TSV ------------------------------------------------------------------------------

async function readDelimited(db: DuckSession, file: SourceFile, out: string, options: ReadOptions): Promise<ReadOutcome> {
  const textColumns: string[] = []
  for (let attempt = 0; ; attempt++) {
    const rejects = `pw_rejects_${attempt}`
    const scans = `pw_reject_scans_${attempt}`
    const args = [
      quoteLiteral(file.path),
      'normalize_names = false',
      'store_rejects = true',
      `rejects_table = ${quoteLiteral(rejects)}`,
      `rejects_scan = ${quoteLiteral(scans)}`,
    ]
    if (file.format === 'tsv') args.push(`delim = '\t'`)
    if (options.nullValues.length > 0) args.push(`nullstr = [${options.nullValues.map(quoteLiteral).join(', ')}]`)
    if (file.compression === 'gzip') args.push(`compression = 'gzip'`)
    if (textColumns.length > 0) {
      args.push(`types = {${textColumns.map((c) => `${quoteLiteral(c)}: 'VARCHAR'`).join(', ')}}`)
    }
    let rowCount: number
    try {
      rowCount = await copyTo(db, `SELECT * FROM read_csv(${args.join(', ')})`, out)
    } catch (error) {
      db.checkAborted()
      throw new StepError(`Could not read ${file.displayName} as ${file.format.toUpperCase()}: ${csvFailure(error, file)}`)
    }

    // A value that does not fit the type DuckDB guessed from the first rows (e.g. "n/a" deep in a
    // column of numbers) is not a broken row: read that column as text instead.
    const casts = await db.rows(
      `SELECT column_name, min(line) AS line, first(csv_line ORDER BY line) AS example, first(error_message ORDER BY line) AS message
       FROM ${quoteIdent(rejects)} WHERE error_type = 'CAST' AND column_name IS NOT NULL
       GROUP BY column_name ORDER BY min(line)`,
    )
    const newText = casts.map((c) => String(c.column_name)).filter((c) => !textColumns.includes(c))
    if (newText.length > 0 && attempt < 5) {
      for (const cast of casts) {
        if (!newText.includes(String(cast.column_name))) continue
        options.log('info', `Column "${cast.column_name}" holds values that are not ${castTarget(String(cast.message))} (first on line ${cast.line}); reading it as text.`)
      }
      textColumns.push(...newText)
      await rm(out, { force: true })
      continue
    }

    const summary = await db.one(`SELECT count(DISTINCT line) AS lines FROM ${quoteIdent(rejects)}`)
    const badLines = Number(summary?.lines ?? 0)
    if (badLines === 0) return { rowCount, skipped: { count: 0, examples: [] }, textColumns }

    const examples = (
      await db.rows(
        `SELECT line, error_type, column_name, error_message FROM ${quoteIdent(rejects)}
         QUALIFY row_number() OVER (PARTITION BY line ORDER BY byte_position) = 1
         ORDER BY line LIMIT ${maxExamples}`,
      )
    ).map((r) => ({ line: Number(r.line), reason: csvReason(r, file.format) }))
    return settleBadRows(file, out, options, rowCount, badLines, examples, textColumns)
  }
}

async function settleBadRows(
  file: SourceFile,
  out: string,
  options: ReadOptions,
  rowCount: number,
  count: number,
  examples: BadRow[],
  textColumns: string[],
): Promise<ReadOutcome> {
  const list = examples.map((e) => `line ${e.line}: ${e.reason}`).join('; ') + (count > examples.length ? '; …' : '')
  const rows = count === 1 ? '1 row' : `${count} rows`
  const hint = examples.some((e) => e.reason.startsWith(invalidUtf8)) ? ' The file is not entirely UTF-8: save it as UTF-8.' : ''
  if (options.badRows === 'fail') {
    await rm(out, { force: true })
    throw new StepError(
      `${rows} of ${file.displayName} could not be read: ${list}.${hint} Fix the file, or set badRows to 'skip' to drop such rows.`,
    )
  }
  options.log('warn', `Skipped ${rows} of ${file.displayName} that could not be read: ${list}.${hint}`)
  return { rowCount, skipped: { count, examples }, textColumns }
}

function castTarget(message: string): string {
  const match = /to '([^']+)'/.exec(message)
  return match ? `of type ${match[1]}` : 'of the guessed type'
}

function csvReason(row: Record<string, unknown>, format: FileFormat): string {
  const message = String(row.error_message ?? '')
  const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message)
  const column = row.column_name ? ` (column "${row.column_name}")` : ''
  switch (row.error_type) {
    case 'MISSING COLUMNS':
    case 'TOO MANY COLUMNS':
      if (fields) return `expected ${fields[1]} fields, found ${fields[2]}`
      return row.error_type === 'MISSING COLUMNS' ? 'too few fields' : 'too many fields'
    case 'INVALID ENCODING':
      return `${invalidUtf8}${column}`
    case 'UNQUOTED VALUE':
      return `a quote is not closed, or text follows a closing quote${column}`
    case 'LINE SIZE OVER MAXIMUM':
      return 'the line is longer than the maximum line size (2 MB)'
    case 'CAST':
      return `${message.replace(/^Error when converting column "[^"]*"\. /, '')}${column}`
    default:
      return message || `unreadable ${format.toUpperCase()} row`
  }
}

// ---- JSON / NDJSON --------------------------------------------------------------------------

async function readJson(db: DuckSession, file: SourceFile, out: string, options: ReadOptions): Promise<ReadOutcome> {
  const select = (path: string) => {
    // sample every record when guessing the columns: otherwise a key that first appears late is dropped
    // and a value of another type late in the file fails the read
    const args = [quoteLiteral(path), `format = ${file.format === 'ndjson' ? "'newline_delimited'" : "'auto'"}`, 'sample_size = -1']
    if (file.compression === 'gzip' && path === file.path) args.push(`compression = 'gzip'`)
    return `SELECT * FROM read_json(${args.join(', ')})`
  }
  try {
    const rowCount = await copyTo(db, select(file.path), out)
    const textColumns = await jsonColumnsToText(db, out, options.workDir)
    return { rowCount, skipped: { count: 0, examples: [] }, textColumns }
  } catch (error) {
    if (error instanceof StepError) throw error
    db.checkAborted()
    await rm(out, { force: true })
    const message = duckdbMessage(error)
    if (file.format === 'json') {
      throw new StepError(`Could not read ${file.displayName} as JSON: ${cleanMessage(message, file)}`)
    }
    // Find the broken lines ourselves, so the message (or the skip) can name them.
    const scan = await scanJsonLines(file, join(options.workDir, 'readable-lines.ndjson'))
    if (scan.badCount === 0) {
      throw new StepError(`Could not read ${file.displayName} as NDJSON: ${cleanMessage(message, file)}`)
    }
    const outcome = await settleBadRows(file, out, options, 0, scan.badCount, scan.examples, [])
    if (scan.goodCount === 0) {
      throw new StepError(`No rows of ${file.displayName} could be read: all ${scan.badCount} were skipped as unreadable.`)
    }
    try {
      const rowCount = await copyTo(db, select(scan.goodPath), out)
      return { ...outcome, rowCount, textColumns: await jsonColumnsToText(db, out, options.workDir) }
    } catch (again) {
      db.checkAborted()
      throw new StepError(`Could not read ${file.displayName} as NDJSON: ${cleanMessage(duckdbMessage(again), file)}`)
    }
  }
}

/**
 * A key whose values differ in type (numbers here, text there) comes out of read_json as a JSON
 * column holding JSON text (`"oops"`, `1`). Turn such columns into plain text: strings unquoted,
 * anything else as its JSON text.
 */
async function jsonColumnsToText(db: DuckSession, out: string, workDir: string): Promise<string[]> {
  const columns = await db.rows(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(out)})`)
  const json = columns.filter((c) => c.column_type === 'JSON').map((c) => String(c.column_name))
  if (json.length === 0) return []
  const replace = json
    .map((name) => {
      const c = quoteIdent(name)
      return `CASE WHEN json_type(${c}) = 'VARCHAR' THEN ${c} ->> '$' ELSE CAST(${c} AS VARCHAR) END AS ${c}`
    })
    .join(', ')
  const rewritten = join(workDir, 'json-as-text.parquet')
  await copyTo(db, `SELECT * REPLACE (${replace}) FROM read_parquet(${quoteLiteral(out)})`, rewritten)
  await rename(rewritten, out)
  return json
}

/** Checks every line of an NDJSON file: valid UTF-8, valid JSON, an object. Writes the good lines to `goodPath`. */
async function scanJsonLines(
  file: SourceFile,
  goodPath: string,
): Promise<{ badCount: number; goodCount: number; examples: BadRow[]; goodPath: string }> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  const good: string[] = []
  const examples: BadRow[] = []
  let badCount = 0
  let lineNo = 0
  let pending: Buffer = Buffer.alloc(0)
  const check = (bytes: Buffer) => {
    lineNo++
    let text: string
    try {
      text = decoder.decode(bytes)
    } catch {
      badCount++
      if (examples.length < maxExamples) examples.push({ line: lineNo, reason: invalidUtf8 })
      return
    }
    if (text.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      badCount++
      const why = error instanceof Error ? error.message : String(error)
      if (examples.length < maxExamples) examples.push({ line: lineNo, reason: `invalid JSON (${why})` })
      return
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      badCount++
      if (examples.length < maxExamples) examples.push({ line: lineNo, reason: 'expected a JSON object' })
      return
    }
    good.push(text)
  }
  const stream = createReadStream(file.path)
  const source = file.compression === 'gzip' ? stream.pipe(createGunzip()) : stream
  for await (const chunk of source as AsyncIterable<Buffer>) {
    let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk
    let at: number
    while ((at = data.indexOf(10)) >= 0) {
      check(stripCr(data.subarray(0, at)))
      data = data.subarray(at + 1)
    }
    pending = Buffer.from(data)
  }
  if (pending.length > 0) check(stripCr(pending))
  await writeFile(goodPath, good.join('\n') + '\n')
  return { badCount, goodCount: good.length, examples, goodPath }
}

function stripCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, line.length - 1) : line
}

// ---- Parquet --------------------------------------------------------------------------------

async function readParquet(db: DuckSession, file: SourceFile, out: string): Promise<ReadOutcome> {
  try {
    const rowCount = await copyTo(db, `SELECT * FROM read_parquet(${quoteLiteral(file.path)})`, out)
    return { rowCount, skipped: { count: 0, examples: [] }, textColumns: [] }
  } catch (error) {
    db.checkAborted()
    await rm(out, { force: true })
    const message = cleanMessage(duckdbMessage(error).replace(/^Failed to read Parquet file "[^"]*": /, ''), file)
    throw new StepError(`${file.displayName} is not a readable Parquet file: ${message}`)
  }
}
