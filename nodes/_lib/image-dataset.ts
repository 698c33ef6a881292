import { randomUUID } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ImageRow } from './image-columns'
import { quoteIdent, quoteLiteral, withDuckDB, type DuckSession } from './duckdb'

export { box, imageColumns, isImageDataset, type Box, type ImageRow } from './image-columns'

/** DuckDB's type of the boxes column */
export const boxesType = 'STRUCT(label VARCHAR, x DOUBLE, y DOUBLE, w DOUBLE, h DOUBLE)[]'

/**
 * Write image rows to a Parquet file with the image dataset's column types (boxes as a list of
 * structs, empty when a row has none). Extra columns need their DuckDB type, e.g.
 * `{ _source_row: 'BIGINT', _ops: 'VARCHAR[]' }`; they follow the image columns in that order.
 */
export async function writeImageDataset(
  path: string,
  rows: readonly ImageRow[],
  options: { workDir: string; extraColumns?: Record<string, string>; db?: DuckSession },
): Promise<void> {
  const staged = join(options.workDir, `image-rows-${randomUUID()}.ndjson`)
  await writeFile(staged, rows.map((row) => JSON.stringify({ ...row, boxes: row.boxes ?? [] })).join('\n'))
  const types: Record<string, string> = { image: 'VARCHAR', width: 'INTEGER', height: 'INTEGER', label: 'VARCHAR', boxes: boxesType, ...options.extraColumns }
  const columns = Object.entries(types).map(([name, type]) => `${quoteLiteral(name)}: ${quoteLiteral(type)}`).join(', ')
  const select = Object.keys(types).map(quoteIdent).join(', ')
  const work = (session: DuckSession) =>
    session.exec(
      `COPY (SELECT ${select} FROM read_json(${quoteLiteral(staged)}, format = 'newline_delimited', columns = {${columns}})) ` +
        `TO ${quoteLiteral(path)} (FORMAT parquet)`,
    )
  try {
    await (options.db ? work(options.db) : withDuckDB(work))
  } finally {
    await rm(staged, { force: true })
  }
}
