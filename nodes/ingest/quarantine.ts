// The ingest step's `quarantine` port: what could not be read, with why. The column `_reasons`
// makes the step page show it as a quarantine, as it does validate's.
import { randomUUID } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { quoteLiteral, withDuckDB, type DuckSession } from '../_lib/duckdb'

export interface QuarantineRow {
  /** the file (an archive entry, or a row of a table source) */
  file: string
  _reasons: string[]
}

/** Writes the quarantine table (`file` VARCHAR, `_reasons` VARCHAR[]); empty when nothing was set aside. */
export async function writeQuarantine(path: string, rows: readonly QuarantineRow[], options: { workDir: string; db?: DuckSession }): Promise<void> {
  const staged = join(options.workDir, `quarantine-${randomUUID()}.ndjson`)
  const select =
    rows.length === 0
      ? `SELECT CAST(NULL AS VARCHAR) AS file, CAST(NULL AS VARCHAR[]) AS _reasons WHERE false`
      : `SELECT file, _reasons FROM read_json(${quoteLiteral(staged)}, format = 'newline_delimited', columns = {file: 'VARCHAR', _reasons: 'VARCHAR[]'})`
  if (rows.length > 0) await writeFile(staged, rows.map((row) => JSON.stringify({ file: row.file, _reasons: row._reasons })).join('\n'))
  const work = (session: DuckSession) => session.exec(`COPY (${select}) TO ${quoteLiteral(path)} (FORMAT parquet)`)
  try {
    await (options.db ? work(options.db) : withDuckDB(work))
  } finally {
    await rm(staged, { force: true })
  }
}
