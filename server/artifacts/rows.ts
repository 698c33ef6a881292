import { z } from 'zod'
import type { Db } from '@/db'
import { quoteLiteral, withDuckDB, type JsonRow } from '@/nodes/_lib/duckdb'
import { NotFoundError } from '@/server/errors'
import { BadRequestError } from '@/server/http/errors'
import { findArtifact } from './metadata'
import type { ArtifactStore } from './store'

/** The most rows one page may ask for: enough for a screen, little enough to answer in milliseconds. */
export const maxPageRows = 1000

/** `?offset=&limit=` of the rows route, and the tRPC query's input beside the id. */
export const pageQuery = z.object({
  offset: z.coerce.number().int('offset must be a whole number').min(0, 'offset cannot be negative').max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(maxPageRows, `limit is at most ${maxPageRows}`).default(100),
})
export type PageQuery = z.infer<typeof pageQuery>

export interface RowsPage {
  /** rows `offset + 1 … offset + rows.length`, keyed by column name, JSON-safe (big integers as strings, dates ISO) */
  rows: JsonRow[]
  /** the dataset's row count */
  total: number
  offset: number
}

/**
 * One page of a dataset artifact: one DuckDB query, the row count from the artifact's metadata row.
 * DuckDB's OFFSET on a Parquet file skips whole row groups by the footer's counts and decodes only
 * the group the page falls in, so row 999,000 of a million costs about what row 1 does
 * (test/bench/viewer.ts measures both).
 */
export async function datasetRows(db: Db, store: ArtifactStore, id: string, page: PageQuery): Promise<RowsPage> {
  const row = await findArtifact(db, id)
  if (!row || !(await store.has(id))) throw new NotFoundError(`No artifact with id ${id}.`)
  if (row.kind !== 'dataset') throw new BadRequestError(`Artifact ${id} is a ${row.kind}, not a dataset: only datasets have rows.`)
  const file = await store.localPath(id)
  const rows = await withDuckDB((duck) => duck.rows(`SELECT * FROM read_parquet(${quoteLiteral(file)}) LIMIT ${page.limit} OFFSET ${page.offset}`))
  return { rows, total: row.rowCount ?? 0, offset: page.offset }
}
