// Isomorphic: the image dataset's columns, which the server writes and the image grid reads.
import { z } from 'zod'
import type { DatasetColumn } from '../contract'

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

/** A table is an image dataset when it has an `image` text column and a `label` column. */
export function isImageDataset(schema: readonly DatasetColumn[]): boolean {
  const image = schema.find((c) => c.name === imageColumns.image)
  return image !== undefined && image.type === 'VARCHAR' && schema.some((c) => c.name === imageColumns.label)
}
