import sharp from 'sharp'
import type { RawImage } from '../../_lib/images/raw-image'

/**
 * A RawImage as PNG bytes (server side). No metadata is written, so the same pixels always
 * give the same bytes: the blob id, a sha256, is then the same on every run.
 */
export function encodePng(image: RawImage): Promise<Buffer> {
  const pixels = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength)
  return sharp(pixels, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer()
}
