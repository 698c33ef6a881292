/**
 * Pixels in memory: RGB, 8 bits a channel, rows top to bottom. Pure TypeScript, so the camera
 * emulator runs the same in a worker and in the browser's settings preview; only encoding to
 * PNG/JPEG and decoding use sharp (server side).
 */
export interface RawImage {
  width: number
  height: number
  /** width × height × 3 bytes */
  data: Uint8ClampedArray
}

export function createImage(width: number, height: number): RawImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`an image needs a whole, positive size, not ${width}×${height}`)
  }
  return { width, height, data: new Uint8ClampedArray(width * height * 3) }
}

export function cloneImage(image: RawImage): RawImage {
  return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) }
}

/** RGBA for a canvas ImageData (the browser preview). */
export function toRgba(image: RawImage): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(image.width * image.height * 4)
  for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) {
    rgba[j] = image.data[i]!
    rgba[j + 1] = image.data[i + 1]!
    rgba[j + 2] = image.data[i + 2]!
    rgba[j + 3] = 255
  }
  return rgba
}
