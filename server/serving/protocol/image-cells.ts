// An image sent to a model, as base64 text (raw or a data: URL) or uploaded bytes, decoded to RGB
// pixels the way training and evaluate decode theirs (sharp: alpha dropped, sRGB, 8 bits a
// channel). The pixel caps are checked from the header before a single pixel is decoded, so a
// small file that would unpack to gigabytes is refused, not unpacked.
import sharp from 'sharp'
import { BadRequestError } from '@/server/http/errors'

export interface RgbImage {
  data: Uint8Array
  width: number
  height: number
}

export interface ImageLimits {
  /** pixels of one image; default 4096 × 4096 */
  maxImagePixels?: number
  /** pixels over all images of one request; default 32 million (96 MB of RGB) */
  maxTotalPixels?: number
}

export const defaultImageLimits = { maxImagePixels: 4096 * 4096, maxTotalPixels: 32_000_000 } as const

/** What is left of a request's pixel budget as its images are decoded. */
export interface PixelBudget {
  left: number
  readonly max: number
  readonly maxImage: number
}

export function pixelBudget(limits: ImageLimits = {}): PixelBudget {
  const max = limits.maxTotalPixels ?? defaultImageLimits.maxTotalPixels
  return { left: max, max, maxImage: limits.maxImagePixels ?? defaultImageLimits.maxImagePixels }
}

const dataUrlPrefix = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?((?:;[a-z0-9.+-]+=[^;,]*)*)(;base64)?,/i
// the standard alphabet and the URL-safe one; padding optional
const base64Text = /^[A-Za-z0-9+/_-]*={0,2}$/

/** The bytes of base64 text, raw or in a data: URL; `where` names the cell in messages. */
export function base64Bytes(text: string, where: string): Uint8Array {
  let body = text
  const prefix = dataUrlPrefix.exec(text)
  if (prefix) {
    if (!prefix[3]) throw new BadRequestError(`${where} is a data: URL without ";base64"; send the image base64-encoded.`)
    body = text.slice(prefix[0].length)
  } else if (/^data:/i.test(text)) {
    throw new BadRequestError(`${where} starts with "data:" but is not a data URL of the form data:image/png;base64,….`)
  }
  body = body.replace(/\s+/g, '')
  if (body.length === 0) throw new BadRequestError(`${where} is empty; send the image as base64 text.`)
  if (!base64Text.test(body) || body.length % 4 === 1) {
    const bad = /[^A-Za-z0-9+/_=-]/.exec(body)
    const detail = bad ? ` (it has ${JSON.stringify(bad[0])})` : ''
    throw new BadRequestError(`${where} is not valid base64${detail}.`)
  }
  return Buffer.from(body, 'base64')
}

/** Decodes an image to RGB after checking its size against the caps; `where` names it in messages. */
export async function decodeImage(bytes: Uint8Array, where: string, budget: PixelBudget): Promise<RgbImage> {
  let width: number | undefined
  let height: number | undefined
  try {
    ;({ width, height } = await sharp(bytes).metadata())
  } catch (error) {
    throw new BadRequestError(`${where} is not an image this server can read (PNG, JPEG, WebP, GIF, TIFF, AVIF): ${(error as Error).message}.`)
  }
  if (!width || !height) throw new BadRequestError(`${where} is an image without a width and height.`)
  const pixels = width * height
  if (pixels > budget.maxImage) throw new BadRequestError(`${where} is ${width}×${height} = ${pixels} pixels; this server takes at most ${budget.maxImage} pixels an image.`)
  if (pixels > budget.left) throw new BadRequestError(`${where} (${width}×${height}) brings the request past ${budget.max} pixels in all; send fewer or smaller images.`)
  budget.left -= pixels
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: budget.maxImage }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) throw new Error(`it decoded to ${info.channels} channels, not 3`)
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height }
  } catch (error) {
    throw new BadRequestError(`${where} could not be decoded: ${(error as Error).message}.`)
  }
}
