// The files a handoff carries beside the Parquet inputs: a CSV copy of each table (trainers without
// a Parquet reader, such as a bare Python with torch, read it with the standard library) and, for
// an image dataset, the images themselves in a zip named by the rows' `image` ids.
import fs from 'node:fs'
import { once } from 'node:events'
import { Zip, ZipPassThrough } from 'fflate'
import type { InputArtifact } from '../contract'
import { quoteIdent, quoteLiteral, type DuckSession } from '../_lib/duckdb'
import { imageColumns } from '../_lib/image-dataset'

export type HandoffSide = 'train' | 'validation'

/** `train.csv` beside `train.parquet`: a header, the same columns, nested values as JSON text. */
export async function writeCsvCopy(db: DuckSession, input: InputArtifact, file: string): Promise<void> {
  const columns = (input.schema ?? []).map((c) => (/[[\]{}]|STRUCT|MAP/.test(c.type) ? `to_json(${quoteIdent(c.name)}) AS ${quoteIdent(c.name)}` : quoteIdent(c.name)))
  const select = columns.length > 0 ? columns.join(', ') : '*'
  await db.exec(`COPY (SELECT ${select} FROM read_parquet(${quoteLiteral(input.path)})) TO ${quoteLiteral(file)} (FORMAT csv, HEADER true)`)
}

/** Every distinct image id of the table, in row order of first appearance. */
async function imageIds(db: DuckSession, input: InputArtifact): Promise<string[]> {
  const rows = await db.rows(`SELECT DISTINCT ${quoteIdent(imageColumns.image)} AS id FROM read_parquet(${quoteLiteral(input.path)}) WHERE ${quoteIdent(imageColumns.image)} IS NOT NULL`)
  return rows.map((r) => String(r.id)).filter((id) => /^[A-Za-z0-9_-]{1,128}$/.test(id))
}

/**
 * `train-images.zip`: one entry per image, named by its id (PNG or JPEG bytes as stored; decoders
 * read the format from the bytes), streamed to disk one image at a time, stored uncompressed since
 * the images already are.
 */
export async function writeImageArchive(db: DuckSession, input: InputArtifact, file: string, readBlob: (id: string) => Promise<Buffer>, signal: AbortSignal): Promise<number> {
  const ids = await imageIds(db, input)
  const out = fs.createWriteStream(file)
  const finished = once(out, 'close')
  const zip = new Zip((error, chunk, final) => {
    if (error) return void out.destroy(error)
    out.write(chunk)
    if (final) out.end()
  })
  for (const id of ids) {
    signal.throwIfAborted()
    const entry = new ZipPassThrough(id)
    zip.add(entry)
    entry.push(await readBlob(id), true)
    if (out.writableNeedDrain) await once(out, 'drain')
  }
  zip.end()
  await finished
  return ids.length
}
