// An image as the model takes it: RGB uint8 [1, H, W, 3] at its own size (the graph resizes
// inside), from a canvas's RGBA pixels; and the size a picked image is drawn at. Pure.
import type { TensorSignature } from '@/nodes/_lib/models/metadata'
import type { FeedTensor } from './feeds'

export interface RgbImage {
  width: number
  height: number
  /** width × height × 3 bytes, rows top to bottom */
  rgb: Uint8Array
}

/** Drops the alpha channel: what a canvas gives is RGBA, row by row. */
export function rgbaToRgb(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): RgbImage {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} RGBA bytes for ${width}×${height}, got ${rgba.length}`)
  const rgb = new Uint8Array(width * height * 3)
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
    rgb[j] = rgba[i]!
    rgb[j + 1] = rgba[i + 1]!
    rgb[j + 2] = rgba[i + 2]!
  }
  return { width, height, rgb }
}

/** Opaque RGBA for a canvas's ImageData (to encode the same pixels as PNG for the server). */
export function rgbToRgba(image: RgbImage): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(image.width * image.height * 4)
  for (let i = 0, j = 0; i < image.rgb.length; i += 3, j += 4) {
    rgba[j] = image.rgb[i]!
    rgba[j + 1] = image.rgb[i + 1]!
    rgba[j + 2] = image.rgb[i + 2]!
    rgba[j + 3] = 255
  }
  return rgba
}

export function imageFeed(image: RgbImage): FeedTensor {
  return { type: 'uint8', data: image.rgb, dims: [1, image.height, image.width, 3] }
}

/** A model whose image input has a fixed H and W gets exactly that; one with dynamic sides takes any. */
export function fixedImageSize(input: TensorSignature): { width: number; height: number } | null {
  const [, height, width] = input.shape
  return typeof width === 'number' && width > 0 && typeof height === 'number' && height > 0 ? { width, height } : null
}

/** Longest side a picked photo keeps: a 12-megapixel photo would make a 36 MB tensor for a model that resizes to a few dozen pixels. */
export const maxImageSide = 1024

/** The size to draw a picture at: the model's fixed size, else its own, shrunk to fit `maxImageSide`. */
export function drawSize(natural: { width: number; height: number }, input: TensorSignature): { width: number; height: number } {
  const fixed = fixedImageSize(input)
  if (fixed) return fixed
  const scale = Math.min(1, maxImageSide / Math.max(natural.width, natural.height))
  return { width: Math.max(1, Math.round(natural.width * scale)), height: Math.max(1, Math.round(natural.height * scale)) }
}
