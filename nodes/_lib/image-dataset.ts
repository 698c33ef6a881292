import { randomUUID } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { DatasetColumn } from '../contract'
import { quoteIdent, quoteLiteral, withDuckDB, type DuckSession } from './duckdb'

/**
 * An image dataset is a table whose rows point at images kept as blobs (see ARCHITECTURE.md):
 * `image` (the blob id, a sha256), `width`, `height`, `label`, and optional `boxes` in pixels.
 * Every source (archive, camera) and every step that makes images (augment) writes it here, so
 * the columns and their types are the same everywhere.
 */
export const imageColumns = { image: 'image', width: 'width', height: 'height', label: 'label', boxes: 'boxes' } as const

export const box = z.object({
  label: z.string(),
  x: z.number(),
  y: z.number(),
  w: z.number(),
  h: z.number(),
})
export type Box = z.infer<typeof box>

export interface ImageRow {
  image: string
  width: number
  height: number
  label: string
  boxes?: Box[]
  /** further columns (e.g. `_source_row`, `_ops`, `surface`), written as they are */
  [column: string]: unknown
}

/** DuckDB's type of the boxes column */
export const boxesType = 'STRUCT(label VARCHAR, x DOUBLE, y DOUBLE, w DOUBLE, h DOUBLE)[]'

/** A table is an image dataset when it has an `image` text column and a `label` column. */
export function isImageDataset(schema: readonly DatasetColumn[]): boolean {
  const image = schema.find((c) => c.name === imageColumns.image)
  return image !== undefined && image.type === 'VARCHAR' && schema.some((c) => c.name === imageColumns.label)
}

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
