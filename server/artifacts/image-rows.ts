import type { z } from 'zod'
import type { Db } from '@/db'
import { quoteIdent, quoteLiteral, withDuckDB } from '@/nodes/_lib/duckdb'
import { imageColumns, isImageDataset } from '@/nodes/_lib/image-columns'
import { NotFoundError } from '@/server/errors'
import { BadRequestError } from '@/server/http/errors'
import { text } from '@/server/validation/text'
import { findArtifact } from './metadata'
import { pageQuery, type RowsPage } from './rows'
import type { ArtifactStore } from './store'

/** The image grid's page: the rows route's offset and limit, and optionally one label. */
export const imagePageQuery = pageQuery.extend({ label: text({ max: 1000, trim: false }).nullable().default(null) })
export type ImagePageQuery = z.infer<typeof imagePageQuery>

/** The most labels the filter lists (the most frequent ones); the grid's "All" still shows every image. */
export const maxLabels = 200

async function imageDatasetFile(db: Db, store: ArtifactStore, id: string): Promise<string> {
  const row = await findArtifact(db, id)
  if (!row || !(await store.has(id))) throw new NotFoundError(`No artifact with id ${id}.`)
  if (row.kind !== 'dataset' || !isImageDataset(row.schema ?? [])) {
    throw new BadRequestError(`Artifact ${id} is not an image dataset: it needs an \`image\` text column and a \`label\` column.`)
  }
  return store.localPath(id)
}

const label = quoteIdent(imageColumns.label)

/** How many images carry each label, most frequent first (the grid's filter). */
export async function imageLabelCounts(db: Db, store: ArtifactStore, id: string): Promise<{ label: string | null; count: number }[]> {
  const file = await imageDatasetFile(db, store, id)
  const rows = await withDuckDB((duck) =>
    duck.rows(
      `SELECT ${label}::VARCHAR AS label, count(*) AS n FROM read_parquet(${quoteLiteral(file)}) ` +
        `GROUP BY 1 ORDER BY n DESC, label NULLS LAST LIMIT ${maxLabels}`,
    ),
  )
  return rows.map((r) => ({ label: r.label === null ? null : String(r.label), count: Number(r.n) }))
}

/** A page of an image dataset's rows, all of them or those of one label, in the file's order. */
export async function imageRows(db: Db, store: ArtifactStore, id: string, page: ImagePageQuery): Promise<RowsPage> {
  const file = await imageDatasetFile(db, store, id)
  const where = page.label === null ? '' : `WHERE ${label}::VARCHAR = ${quoteLiteral(page.label)}`
  const source = `read_parquet(${quoteLiteral(file)})`
  return withDuckDB(async (duck) => {
    const total = Number((await duck.one(`SELECT count(*) AS n FROM ${source} ${where}`))?.n ?? 0)
    const rows = await duck.rows(`SELECT * FROM ${source} ${where} LIMIT ${page.limit} OFFSET ${page.offset}`)
    return { rows, total, offset: page.offset }
  })
}
