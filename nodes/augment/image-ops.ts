// The image operations, each on decoded RGB pixels and the image's boxes. Pixels go through sharp
// where it has the operation (on libuv's threads, so four images in flight use every core); the
// small-angle rotation and the seeded noise are TypeScript. Boxes are mapped here, by the same
// geometry. Every operation keeps the image's size: rotations by 90° of a non-square image and
// crops are resized back to it.
import sharp, { type Sharp } from 'sharp'
import type { Box } from '../_lib/image-dataset'
import { createImage, type RawImage } from '../_lib/images/raw-image'
import type { Rng } from '../_lib/images/rng'
import type { ImageOp } from './definition'

export interface Frame {
  image: RawImage
  boxes: Box[]
}

/** A box keeps its place only while at least this share of its area is still in the picture. */
export const minVisibleShare = 0.25

/** Applies `op` with parameters drawn from `rng`; gives the new frame and the op as `_ops` names it. */
export async function applyOp(frame: Frame, op: ImageOp, rng: Rng): Promise<{ frame: Frame; name: string }> {
  switch (op.op) {
    case 'flip_h':
      return { frame: await flipHorizontal(frame), name: 'flip_h' }
    case 'flip_v':
      return { frame: await flipVertical(frame), name: 'flip_v' }
    case 'rotate_90': {
      const angle = rng.pick(op.angles)
      return { frame: await rotateRight(frame, angle), name: `rotate_90(${angle})` }
    }
    case 'rotate': {
      const degrees = round(rng.range(-op.maxDegrees, op.maxDegrees), 2)
      return { frame: rotateSmall(frame, degrees), name: `rotate(${degrees})` }
    }
    case 'brightness': {
      const factor = round(rng.range(op.min, op.max), 3)
      return { frame: { ...frame, image: await scaleLevels(frame.image, factor, 0) }, name: `brightness(${factor})` }
    }
    case 'contrast': {
      const factor = round(rng.range(op.min, op.max), 3)
      const mean = meanLevel(frame.image)
      return { frame: { ...frame, image: await scaleLevels(frame.image, factor, mean * (1 - factor)) }, name: `contrast(${factor})` }
    }
    case 'blur': {
      const sigma = round(rng.range(op.minSigma, op.maxSigma), 2)
      return { frame: { ...frame, image: await blur(frame.image, sigma) }, name: `blur(${sigma})` }
    }
    case 'noise': {
      const sigma = round(rng.range(op.minSigma, op.maxSigma), 2)
      return { frame: { ...frame, image: addNoise(frame.image, sigma, rng) }, name: `noise(${sigma})` }
    }
    case 'crop': {
      const scale = round(rng.range(op.minScale, op.maxScale), 3)
      return { frame: await cropAndResize(frame, scale, rng), name: `crop(${scale})` }
    }
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** level × factor + offset, clamped to 0…255 */
function scaleLevels(image: RawImage, factor: number, offset: number): Promise<RawImage> {
  return toRaw(fromRaw(image).linear(factor, offset), image.width, image.height)
}

function addNoise(image: RawImage, sigma: number, rng: Rng): RawImage {
  const out = createImage(image.width, image.height)
  const { data } = image
  const target = out.data
  for (let i = 0; i < data.length; i++) target[i] = data[i]! + rng.normal() * sigma
  return out
}

function meanLevel(image: RawImage): number {
  let sum = 0
  for (const v of image.data) sum += v
  return sum / image.data.length
}

export async function flipHorizontal({ image, boxes }: Frame): Promise<Frame> {
  return { image: await toRaw(fromRaw(image).flop(), image.width, image.height), boxes: boxes.map((b) => ({ ...b, x: image.width - b.x - b.w })) }
}

export async function flipVertical({ image, boxes }: Frame): Promise<Frame> {
  return { image: await toRaw(fromRaw(image).flip(), image.width, image.height), boxes: boxes.map((b) => ({ ...b, y: image.height - b.y - b.h })) }
}

/** Clockwise by 90, 180 or 270 degrees; a turned non-square image is stretched back to its size. */
export async function rotateRight({ image, boxes }: Frame, angle: 90 | 180 | 270): Promise<Frame> {
  const { width: w, height: h } = image
  const turned = boxes.map((b): Box => {
    if (angle === 90) return { ...b, x: h - b.y - b.h, y: b.x, w: b.h, h: b.w }
    if (angle === 180) return { ...b, x: w - b.x - b.w, y: h - b.y - b.h }
    return { ...b, x: b.y, y: w - b.x - b.w, w: b.h, h: b.w }
  })
  const [tw, th] = angle === 180 ? [w, h] : [h, w]
  const sx = w / tw
  const sy = h / th
  const pipeline = fromRaw(image).rotate(angle)
  return {
    image: await toRaw(tw === w ? pipeline : pipeline.resize(w, h, { fit: 'fill' }), w, h),
    boxes: turned.map((b) => ({ ...b, x: b.x * sx, y: b.y * sy, w: b.w * sx, h: b.h * sy })),
  }
}

/**
 * Clockwise by a small angle about the centre, bilinear; what comes from outside the picture is
 * black. A box becomes the bounding box of its turned corners, clipped to the picture.
 */
export function rotateSmall({ image, boxes }: Frame, degrees: number): Frame {
  const { width: w, height: h, data } = image
  const out = createImage(w, h)
  const theta = (degrees * Math.PI) / 180
  const cos = Math.cos(theta)
  const sin = Math.sin(theta)
  const cx = w / 2
  const cy = h / 2
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = x + 0.5 - cx
      const py = y + 0.5 - cy
      // the inverse turn: where this output pixel's centre was in the input
      const sx = cx + px * cos + py * sin - 0.5
      const sy = cy - px * sin + py * cos - 0.5
      sampleBilinear(data, w, h, sx, sy, out.data, (y * w + x) * 3)
    }
  }
  const turn = (x: number, y: number): [number, number] => [cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos]
  const turned = boxes.map((b) => {
    const corners = [turn(b.x, b.y), turn(b.x + b.w, b.y), turn(b.x, b.y + b.h), turn(b.x + b.w, b.y + b.h)]
    const xs = corners.map((c) => c[0])
    const ys = corners.map((c) => c[1])
    const x0 = Math.min(...xs)
    const y0 = Math.min(...ys)
    return { ...b, x: x0, y: y0, w: Math.max(...xs) - x0, h: Math.max(...ys) - y0 }
  })
  return { image: out, boxes: clipBoxes(turned, 0, 0, w, h) }
}

function sampleBilinear(data: Uint8ClampedArray, w: number, h: number, sx: number, sy: number, out: Uint8ClampedArray, at: number): void {
  if (sx < -0.5 || sy < -0.5 || sx > w - 0.5 || sy > h - 0.5) return // outside: stays black
  const x0 = Math.floor(sx)
  const y0 = Math.floor(sy)
  const fx = sx - x0
  const fy = sy - y0
  const clampX = (x: number) => Math.min(w - 1, Math.max(0, x))
  const clampY = (y: number) => Math.min(h - 1, Math.max(0, y))
  const a = (clampY(y0) * w + clampX(x0)) * 3
  const b = (clampY(y0) * w + clampX(x0 + 1)) * 3
  const c = (clampY(y0 + 1) * w + clampX(x0)) * 3
  const d = (clampY(y0 + 1) * w + clampX(x0 + 1)) * 3
  for (let ch = 0; ch < 3; ch++) {
    const top = data[a + ch]! + (data[b + ch]! - data[a + ch]!) * fx
    const bottom = data[c + ch]! + (data[d + ch]! - data[c + ch]!) * fx
    out[at + ch] = top + (bottom - top) * fy
  }
}

/** A random window of `scale` × each side, resized back to the image's size; boxes clipped to the window. */
export async function cropAndResize({ image, boxes }: Frame, scale: number, rng: Rng): Promise<Frame> {
  const { width: w, height: h } = image
  const cw = Math.max(1, Math.round(w * scale))
  const ch = Math.max(1, Math.round(h * scale))
  const x0 = rng.int(0, w - cw)
  const y0 = rng.int(0, h - ch)
  const sx = w / cw
  const sy = h / ch
  const kept = clipBoxes(boxes, x0, y0, x0 + cw, y0 + ch).map((b) => ({ ...b, x: (b.x - x0) * sx, y: (b.y - y0) * sy, w: b.w * sx, h: b.h * sy }))
  const pixels = await toRaw(fromRaw(image).extract({ left: x0, top: y0, width: cw, height: ch }).resize(w, h, { fit: 'fill' }), w, h)
  return { image: pixels, boxes: kept }
}

/**
 * Boxes cut to the rectangle [x0, x1) × [y0, y1); a box with less than `minVisibleShare` of its
 * area (or less than a pixel a side) left inside is dropped.
 */
export function clipBoxes(boxes: readonly Box[], x0: number, y0: number, x1: number, y1: number): Box[] {
  return boxes.flatMap((b) => {
    const left = Math.max(b.x, x0)
    const top = Math.max(b.y, y0)
    const right = Math.min(b.x + b.w, x1)
    const bottom = Math.min(b.y + b.h, y1)
    const w = right - left
    const h = bottom - top
    if (w < 1 || h < 1 || w * h < minVisibleShare * b.w * b.h) return []
    return [{ ...b, x: left, y: top, w, h }]
  })
}

function fromRaw(image: RawImage): Sharp {
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
}

/** sharp's output buffer becomes the image's pixels as it is: no copy. */
async function toRaw(pipeline: Sharp, width: number, height: number): Promise<RawImage> {
  const data = await pipeline.raw().toBuffer()
  if (data.byteLength !== width * height * 3) throw new Error(`expected ${width}×${height} RGB pixels, got ${data.byteLength} bytes`)
  return { width, height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) }
}

export function resize(image: RawImage, width: number, height: number): Promise<RawImage> {
  return toRaw(fromRaw(image).resize(width, height, { fit: 'fill' }), width, height)
}

function blur(image: RawImage, sigma: number): Promise<RawImage> {
  return toRaw(fromRaw(image).blur(sigma), image.width, image.height)
}

/** Any image sharp reads (PNG, JPEG, grey or with alpha) as RGB at the size its row declares. */
export async function decodeImage(bytes: Buffer, width: number, height: number): Promise<RawImage> {
  const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true })
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, not 3`)
  const image: RawImage = { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) }
  return info.width === width && info.height === height ? image : resize(image, width, height)
}

/**
 * Lossless, so painted defects keep their exact pixels. zlib level 3: on photographs and camera
 * images it compresses as well as the default 6 (within 0.1%) in a third of the time.
 */
export function encodePng(image: RawImage): Promise<Buffer> {
  return fromRaw(image).png({ compressionLevel: 3 }).toBuffer()
}
