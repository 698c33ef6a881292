import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { withDuckDB, quoteLiteral } from '@/nodes/_lib/duckdb'
import { writeImageDataset, type ImageRow } from '@/nodes/_lib/image-dataset'
import { describeParquet } from '@/nodes/_lib/parquet'
import { recordArtifact } from '@/server/artifacts/metadata'
import type { Services } from '@/server/services'

/** A PNG of one colour with a darker square in it, so a box drawn over it has something to frame. */
export async function squarePng(width: number, height: number, rgb: [number, number, number], square: { x: number; y: number; size: number }): Promise<Buffer> {
  const dark = Buffer.alloc(square.size * square.size * 3, 30)
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .composite([{ input: dark, raw: { width: square.size, height: square.size, channels: 3 }, left: square.x, top: square.y }])
    .png()
    .toBuffer()
}

/** Stores bytes as a `file` blob with its media type, as a step's `outputs.blob` would. */
export async function storeBlob(services: Services, bytes: Uint8Array | string, mediaType: string): Promise<string> {
  const blob = await services.store.putBytes(bytes)
  await recordArtifact(services.db, { id: blob.id, kind: 'file', sizeBytes: blob.sizeBytes, mediaType, filename: null })
  return blob.id
}

/** Stores a finished Parquet file as a dataset artifact, as a step's dataset output would be. */
export async function storeDatasetFile(services: Services, file: string): Promise<string> {
  const { rowCount, schema } = await describeParquet(file)
  const blob = await services.store.putFile(file)
  await recordArtifact(services.db, { id: blob.id, kind: 'dataset', sizeBytes: blob.sizeBytes, mediaType: 'application/vnd.apache.parquet', filename: 'test.parquet', rowCount, schema })
  return blob.id
}

function scratchFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pw-images-')), name)
}

/** A dataset artifact made by one DuckDB SELECT (e.g. a million rows from `range`). */
export async function storeDatasetFromSql(services: Services, select: string): Promise<string> {
  const file = scratchFile('rows.parquet')
  await withDuckDB((db) => db.exec(`COPY (${select}) TO ${quoteLiteral(file)} (FORMAT parquet)`))
  return storeDatasetFile(services, file)
}

export interface LabelledImage {
  label: string
  rgb: [number, number, number]
}

/**
 * An image dataset artifact of 64×48 PNGs: one per entry, each with a box around its dark square
 * (boxes in pixels, as the image dataset contract says).
 */
export async function storeImageDataset(services: Services, images: LabelledImage[]): Promise<{ datasetId: string; imageIds: string[] }> {
  const rows: ImageRow[] = []
  for (const [i, image] of images.entries()) {
    const square = { x: 8 + (i % 4) * 8, y: 8, size: 16 }
    const id = await storeBlob(services, await squarePng(64, 48, image.rgb, square), 'image/png')
    rows.push({ image: id, width: 64, height: 48, label: image.label, boxes: [{ label: image.label, x: square.x, y: square.y, w: square.size, h: square.size }] })
  }
  const file = scratchFile('images.parquet')
  await writeImageDataset(file, rows, { workDir: path.dirname(file) })
  return { datasetId: await storeDatasetFile(services, file), imageIds: rows.map((r) => r.image) }
}
