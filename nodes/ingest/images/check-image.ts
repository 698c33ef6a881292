// Is this entry an image Pipewright keeps? sharp reads the header for format and size, then
// decodes every pixel once: the header alone misses a file cut short. A full decode to raw
// measured 2 ms for 256×256 and 12 ms for 1024×1024 (sharp's stats() took 6× as long).
import sharp from 'sharp'

export const imageMediaTypes = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const
type KeptFormat = keyof typeof imageMediaTypes

export type ImageCheck = { ok: true; mediaType: string; width: number; height: number } | { ok: false; reason: string }

export async function checkImage(bytes: Buffer): Promise<ImageCheck> {
  if (bytes.length === 0) return { ok: false, reason: 'is empty (0 bytes)' }
  let format: string | undefined
  let width: number | undefined
  let height: number | undefined
  try {
    ;({ format, width, height } = await sharp(bytes).metadata())
  } catch (error) {
    const claimed = sniff(bytes)
    if (!claimed) return { ok: false, reason: 'is not an image (its bytes are not PNG, JPEG or WebP)' }
    return { ok: false, reason: `is a corrupt or truncated ${claimed.toUpperCase()} (${firstLine(error)})` }
  }
  if (!isKept(format)) return { ok: false, reason: `is a ${(format ?? 'unknown').toUpperCase()} image; only PNG, JPEG and WebP are read` }
  if (!width || !height) return { ok: false, reason: 'has no width or height in its header' }
  try {
    await sharp(bytes, { failOn: 'truncated' }).raw().toBuffer()
  } catch (error) {
    return { ok: false, reason: `is a corrupt or truncated ${format.toUpperCase()} (${firstLine(error)})` }
  }
  return { ok: true, mediaType: imageMediaTypes[format], width, height }
}

function isKept(format: string | undefined): format is KeptFormat {
  return format !== undefined && format in imageMediaTypes
}

/** The format a file's first bytes claim, so a damaged header reads as a damaged image, not as "not an image". */
function sniff(bytes: Buffer): KeptFormat | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png'
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp'
  return null
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!
}
