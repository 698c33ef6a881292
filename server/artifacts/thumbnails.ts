import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { isArtifactId, type ArtifactStore } from './store'

/** The longest side of a thumbnail, in pixels: a grid cell at twice its CSS size stays sharp. */
export const thumbnailSize = 160
export const thumbnailMediaType = 'image/webp'

/** Bytes stored under an image media type that sharp cannot decode; named so the boundary answers 415. */
export class UndecodableImageError extends Error {
  override name = 'UnsupportedMediaTypeError'
}

/**
 * Thumbnails are made once, on first request: the bytes go into the artifact store like any blob
 * (content-addressed), and a one-line file `<dir>/<ab>/<blob id>-<size>` remembers which blob holds
 * the thumbnail of which image. The mapping is a cache: losing it only means making it again.
 */
export class Thumbnails {
  private readonly making = new Map<string, Promise<string>>()

  constructor(
    private readonly store: ArtifactStore,
    readonly dir: string,
  ) {}

  /** The blob id of `imageId`'s thumbnail, made now if it was never made. */
  async of(imageId: string): Promise<string> {
    const known = await this.remembered(imageId)
    if (known) return known
    // two requests for the same new thumbnail share one sharp pass
    let pending = this.making.get(imageId)
    if (!pending) {
      pending = this.make(imageId).finally(() => this.making.delete(imageId))
      this.making.set(imageId, pending)
    }
    return pending
  }

  private mappingPath(imageId: string): string {
    if (!isArtifactId(imageId)) throw new Error(`Not a blob id: ${JSON.stringify(imageId.slice(0, 80))}`)
    return path.join(this.dir, imageId.slice(0, 2), `${imageId}-${thumbnailSize}`)
  }

  private async remembered(imageId: string): Promise<string | null> {
    const file = this.mappingPath(imageId)
    if (!fs.existsSync(file)) return null
    const id = fs.readFileSync(file, 'utf8').trim()
    return isArtifactId(id) && (await this.store.has(id)) ? id : null
  }

  private async make(imageId: string): Promise<string> {
    let bytes: Buffer
    try {
      bytes = await sharp(await this.store.localPath(imageId))
        .resize(thumbnailSize, thumbnailSize, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer()
    } catch (error) {
      throw new UndecodableImageError(`Blob ${imageId} is not an image that can be read: ${(error as Error).message}`)
    }
    const { id } = await this.store.putBytes(bytes)
    const file = this.mappingPath(imageId)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    // written beside and renamed, so a reader never sees half an id
    const staged = `${file}.${randomUUID()}`
    fs.writeFileSync(staged, id)
    fs.renameSync(staged, file)
    return id
  }
}

const holder = globalThis as unknown as { __pipewrightThumbnails?: Map<string, Thumbnails> }

/** One Thumbnails per store folder and process, so concurrent first requests share their work. */
export function thumbnailsFor(store: ArtifactStore, dataDir: string): Thumbnails {
  holder.__pipewrightThumbnails ??= new Map()
  const dir = path.join(dataDir, 'thumbnails')
  let thumbnails = holder.__pipewrightThumbnails.get(dir)
  if (!thumbnails) {
    thumbnails = new Thumbnails(store, dir)
    holder.__pipewrightThumbnails.set(dir, thumbnails)
  }
  return thumbnails
}
