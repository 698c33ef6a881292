import fs from 'node:fs'
import { Readable } from 'node:stream'
import { z } from 'zod'
import type { Db } from '@/db'
import { NotFoundError } from '@/server/errors'
import { findArtifact } from './metadata'
import type { ArtifactStore } from './store'
import { thumbnailMediaType, type Thumbnails } from './thumbnails'

/** `?thumb=1` asks for the thumbnail instead of the image. */
export const blobQuery = z.object({ thumb: z.enum(['0', '1'], 'thumb is 1 (the thumbnail) or 0 (the image)').default('0') })

/**
 * Raster images only: SVG can carry script, and served from the app's own origin it would run as
 * the viewer, so it is not served here even though its media type is image/*.
 */
function isServableImage(mediaType: string): boolean {
  return mediaType.startsWith('image/') && mediaType !== 'image/svg+xml'
}

/** An image blob (kind `file` with a raster image media type) or a 404 that says why not. */
async function findImageBlob(db: Db, store: ArtifactStore, id: string) {
  const row = await findArtifact(db, id)
  if (!row || !(await store.has(id))) throw new NotFoundError(`No blob with id ${id}.`)
  if (row.kind !== 'file' || !isServableImage(row.mediaType)) {
    throw new NotFoundError(`No image blob with id ${id}: it is a ${row.kind} of type ${row.mediaType}; this route serves images only.`)
  }
  return row
}

/** Blobs are content-addressed: the bytes under an id never change, so browsers may keep them for good. */
function imageResponse(file: string, mediaType: string, etag: string): Response {
  const stream = Readable.toWeb(fs.createReadStream(file)) as ReadableStream
  return new Response(stream, {
    headers: {
      'content-type': mediaType,
      'content-length': String(fs.statSync(file).size),
      etag: `"${etag}"`,
      'cache-control': 'private, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  })
}

/** The image itself, or its thumbnail (made on first request). */
export async function serveImageBlob(db: Db, store: ArtifactStore, thumbnails: Thumbnails, id: string, thumb: boolean): Promise<Response> {
  const row = await findImageBlob(db, store, id)
  if (!thumb) return imageResponse(await store.localPath(id), row.mediaType, id)
  const thumbId = await thumbnails.of(id)
  return imageResponse(await store.localPath(thumbId), thumbnailMediaType, thumbId)
}
