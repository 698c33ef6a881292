import fs from 'node:fs'
import type { Db } from '@/db'
import { previewParquet, profileParquet } from '@/nodes/_lib/parquet'
import { NotFoundError } from '@/server/errors'
import { describeArtifact } from './describe'
import { findArtifact } from './metadata'
import type { ArtifactStore } from './store'

/** What the step-output view shows: a dataset's first rows and column statistics, or a report's JSON. */
export async function previewArtifact(db: Db, store: ArtifactStore, id: string, limit = 100) {
  const row = await findArtifact(db, id)
  if (!row || !(await store.has(id))) throw new NotFoundError(`No artifact with id ${id}.`)
  const artifact = describeArtifact(row)
  const file = await store.localPath(id)
  if (row.kind === 'dataset') {
    const [preview, profile] = await Promise.all([previewParquet(file, limit), profileParquet(file)])
    return { artifact, type: 'dataset' as const, rowCount: preview.rowCount, schema: preview.schema, rows: preview.rows, profile }
  }
  if (row.kind === 'report') {
    return { artifact, type: 'report' as const, report: JSON.parse(fs.readFileSync(file, 'utf8')) as unknown }
  }
  return { artifact, type: 'file' as const }
}
