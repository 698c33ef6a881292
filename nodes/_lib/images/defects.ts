import type { Box } from '../image-dataset'
import type { RawImage } from './raw-image'
import type { Rng } from './rng'

/**
 * Surface defects painted onto an image in place: the camera emulator's defective parts and
 * augment's synthetic defect injection. Each painter draws a coverage mask (0…1 per pixel)
 * over a region it fixes before painting, then blends the mask into the pixels; the returned
 * box is the bounding box of the pixels that really changed, so a label never claims more (or
 * less) than was painted. Sizes are relative to the image's shorter side.
 */
export const defectKinds = ['scratch', 'dust', 'smudge', 'dent'] as const
export type DefectKind = (typeof defectKinds)[number]

export function paintDefect(image: RawImage, kind: DefectKind, rng: Rng): Box {
  const mask = painters[kind](image, rng)
  return changedBox(image, mask, kind)
}

/** Where a painter may write (whole pixels, end exclusive, clipped to the image) and how much. */
interface Mask {
  x0: number
  y0: number
  x1: number
  y1: number
  /** coverage per pixel of the region, row by row */
  values: Float32Array
  blend(image: RawImage, index: number, coverage: number): void
}

type Painter = (image: RawImage, rng: Rng) => Mask

const painters: Record<DefectKind, Painter> = { scratch, dust, smudge, dent }

function shorterSide(image: RawImage): number {
  return Math.min(image.width, image.height)
}

/** A mask over the bounds [minX, maxX] × [minY, maxY] (floats), grown by `pad`, clipped to the image. */
function maskOver(image: RawImage, bounds: { minX: number; maxX: number; minY: number; maxY: number }, pad: number, blend: Mask['blend']): Mask {
  const x0 = clamp(Math.floor(bounds.minX - pad), 0, image.width - 1)
  const y0 = clamp(Math.floor(bounds.minY - pad), 0, image.height - 1)
  const x1 = clamp(Math.ceil(bounds.maxX + pad) + 1, x0 + 1, image.width)
  const y1 = clamp(Math.ceil(bounds.maxY + pad) + 1, y0 + 1, image.height)
  return { x0, y0, x1, y1, values: new Float32Array((x1 - x0) * (y1 - y0)), blend }
}

/** Adds `delta` (grey levels, may be negative) scaled by coverage: keeps the surface's texture. */
function shiftBy(delta: number): Mask['blend'] {
  return (image, index, coverage) => {
    const d = delta * coverage
    image.data[index] = image.data[index]! + d
    image.data[index + 1] = image.data[index + 1]! + d
    image.data[index + 2] = image.data[index + 2]! + d
  }
}

/** Moves the pixel toward a colour by coverage × opacity: specks and stains that hide the texture. */
function toward(color: readonly [number, number, number], opacity: number): Mask['blend'] {
  return (image, index, coverage) => {
    const t = coverage * opacity
    for (let c = 0; c < 3; c++) image.data[index + c] = image.data[index + c]! + (color[c]! - image.data[index + c]!) * t
  }
}

/** Thin bright or dark line: a quadratic curve, anti-aliased by distance to its segments. */
function scratch(image: RawImage, rng: Rng): Mask {
  const side = shorterSide(image)
  const length = side * rng.range(0.15, 0.5)
  const angle = rng.range(0, Math.PI)
  const cx = rng.range(0.15, 0.85) * image.width
  const cy = rng.range(0.15, 0.85) * image.height
  const dx = (Math.cos(angle) * length) / 2
  const dy = (Math.sin(angle) * length) / 2
  const bend = rng.range(-0.25, 0.25) * length
  const points = [
    [cx - dx, cy - dy],
    [cx - Math.sin(angle) * bend, cy + Math.cos(angle) * bend],
    [cx + dx, cy + dy],
  ] as const
  const halfWidth = Math.max(0.5, side * rng.range(0.002, 0.006))
  const polyline = bezierPoints(points, Math.max(4, Math.ceil(length / 4)))
  const xs = polyline.map((p) => p[0])
  const ys = polyline.map((p) => p[1])
  const bounds = { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) }
  const bright = rng.chance(0.5)
  const mask = maskOver(image, bounds, halfWidth + 1, shiftBy((bright ? 1 : -1) * rng.range(55, 100)))
  for (let i = 1; i < polyline.length; i++) strokeSegment(mask, polyline[i - 1]!, polyline[i]!, halfWidth)
  return mask
}

function bezierPoints(p: readonly (readonly [number, number])[], steps: number): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i <= steps; i++) {
    const t = i / steps
    const a = (1 - t) * (1 - t)
    const b = 2 * (1 - t) * t
    const c = t * t
    out.push([a * p[0]![0] + b * p[1]![0] + c * p[2]![0], a * p[0]![1] + b * p[1]![1] + c * p[2]![1]])
  }
  return out
}

function strokeSegment(mask: Mask, a: readonly [number, number], b: readonly [number, number], halfWidth: number) {
  const width = mask.x1 - mask.x0
  const fromX = Math.max(mask.x0, Math.floor(Math.min(a[0], b[0]) - halfWidth - 1))
  const toX = Math.min(mask.x1, Math.ceil(Math.max(a[0], b[0]) + halfWidth + 2))
  const fromY = Math.max(mask.y0, Math.floor(Math.min(a[1], b[1]) - halfWidth - 1))
  const toY = Math.min(mask.y1, Math.ceil(Math.max(a[1], b[1]) + halfWidth + 2))
  const vx = b[0] - a[0]
  const vy = b[1] - a[1]
  const lengthSquared = vx * vx + vy * vy || 1
  for (let y = fromY; y < toY; y++) {
    for (let x = fromX; x < toX; x++) {
      const px = x + 0.5 - a[0]
      const py = y + 0.5 - a[1]
      const t = clamp((px * vx + py * vy) / lengthSquared, 0, 1)
      const distance = Math.hypot(px - t * vx, py - t * vy)
      const coverage = clamp(halfWidth + 0.5 - distance, 0, 1)
      const i = (y - mask.y0) * width + (x - mask.x0)
      if (coverage > mask.values[i]!) mask.values[i] = coverage
    }
  }
}

/** A few small dark specks scattered over a small patch. */
function dust(image: RawImage, rng: Rng): Mask {
  const side = shorterSide(image)
  const spread = side * rng.range(0.04, 0.1)
  const cx = rng.range(0.1, 0.9) * image.width
  const cy = rng.range(0.1, 0.9) * image.height
  const specks = Array.from({ length: rng.int(3, 8) }, () => ({
    x: cx + rng.range(-spread, spread),
    y: cy + rng.range(-spread, spread),
    r: Math.max(0.6, side * rng.range(0.003, 0.01)),
  }))
  const largest = Math.max(...specks.map((s) => s.r))
  const bounds = {
    minX: Math.min(...specks.map((s) => s.x)),
    maxX: Math.max(...specks.map((s) => s.x)),
    minY: Math.min(...specks.map((s) => s.y)),
    maxY: Math.max(...specks.map((s) => s.y)),
  }
  const grey = rng.range(15, 45)
  const mask = maskOver(image, bounds, largest + 1, toward([grey, grey, grey], rng.range(0.7, 0.95)))
  for (const speck of specks) stampDisc(mask, speck.x, speck.y, speck.r)
  return mask
}

function stampDisc(mask: Mask, cx: number, cy: number, radius: number) {
  eachPixel(mask, cx, cy, radius + 1, (x, y, i) => {
    const coverage = clamp(radius + 0.5 - Math.hypot(x + 0.5 - cx, y + 0.5 - cy), 0, 1)
    if (coverage > mask.values[i]!) mask.values[i] = coverage
  })
}

/** A soft, low-contrast blotch: an elliptical stain fading out smoothly to its rim. */
function smudge(image: RawImage, rng: Rng): Mask {
  const side = shorterSide(image)
  const rx = side * rng.range(0.06, 0.16)
  const ry = rx * rng.range(0.5, 1)
  const angle = rng.range(0, Math.PI)
  const cx = rng.range(0.2, 0.8) * image.width
  const cy = rng.range(0.2, 0.8) * image.height
  const reach = Math.max(rx, ry)
  const tint = rng.range(60, 110)
  const mask = maskOver(image, { minX: cx - reach, maxX: cx + reach, minY: cy - reach, maxY: cy + reach }, 1, toward([tint, tint * 0.95, tint * 0.85], rng.range(0.25, 0.4)))
  const cos = Math.cos(angle)
  const sin = Math.sin(angle)
  eachPixel(mask, cx, cy, reach + 1, (x, y, i) => {
    const px = x + 0.5 - cx
    const py = y + 0.5 - cy
    const u = (px * cos + py * sin) / rx
    const v = (-px * sin + py * cos) / ry
    const r2 = u * u + v * v
    // (1 − r²)² falls to zero at the rim with zero slope: no visible edge
    if (r2 < 1) mask.values[i] = (1 - r2) * (1 - r2)
  })
  return mask
}

/** A shaded circular dimple lit from the upper left: its upper-left inner wall dark, the lower-right bright. */
function dent(image: RawImage, rng: Rng): Mask {
  const side = shorterSide(image)
  const radius = Math.max(2, side * rng.range(0.035, 0.09))
  const cx = rng.range(0.15, 0.85) * image.width
  const cy = rng.range(0.15, 0.85) * image.height
  const strength = rng.range(50, 90)
  const light = rng.range(-0.3, 0.3) + (5 * Math.PI) / 4
  const lx = Math.cos(light)
  const ly = Math.sin(light)
  // coverage here is signed shading in −1…1, turned into a brightness shift
  const mask = maskOver(image, { minX: cx - radius, maxX: cx + radius, minY: cy - radius, maxY: cy + radius }, 1, shiftBy(strength))
  eachPixel(mask, cx, cy, radius + 1, (x, y, i) => {
    const u = (x + 0.5 - cx) / radius
    const v = (y + 0.5 - cy) / radius
    const r2 = u * u + v * v
    if (r2 >= 1) return
    // depth (1 − r²)²: its slope along the light direction shades the wall
    const slope = -4 * (1 - r2)
    mask.values[i] = clamp(slope * (u * lx + v * ly), -1, 1) * 0.9 - 0.15 * (1 - r2)
  })
  return mask
}

/** Calls `visit` for each pixel of the mask within `reach` of (cx, cy), with its index in the mask. */
function eachPixel(mask: Mask, cx: number, cy: number, reach: number, visit: (x: number, y: number, index: number) => void) {
  const width = mask.x1 - mask.x0
  const fromY = Math.max(mask.y0, Math.floor(cy - reach))
  const toY = Math.min(mask.y1, Math.ceil(cy + reach) + 1)
  const fromX = Math.max(mask.x0, Math.floor(cx - reach))
  const toX = Math.min(mask.x1, Math.ceil(cx + reach) + 1)
  for (let y = fromY; y < toY; y++) {
    for (let x = fromX; x < toX; x++) visit(x, y, (y - mask.y0) * width + (x - mask.x0))
  }
}

/** Blends the mask into the image and gives the bounding box of the pixels that changed. */
function changedBox(image: RawImage, mask: Mask, label: DefectKind): Box {
  const width = mask.x1 - mask.x0
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (let y = mask.y0; y < mask.y1; y++) {
    for (let x = mask.x0; x < mask.x1; x++) {
      const coverage = mask.values[(y - mask.y0) * width + (x - mask.x0)]!
      if (coverage === 0) continue
      const index = (y * image.width + x) * 3
      const r = image.data[index]
      const g = image.data[index + 1]
      const b = image.data[index + 2]
      mask.blend(image, index, coverage)
      if (image.data[index] === r && image.data[index + 1] === g && image.data[index + 2] === b) continue
      if (x < minX) minX = x
      if (x > maxX) maxX = x
      if (y < minY) minY = y
      if (y > maxY) maxY = y
    }
  }
  // nothing visible changed (a speck on black): the painted region still says where it is
  if (minX === Infinity) return { label, x: mask.x0, y: mask.y0, w: width, h: mask.y1 - mask.y0 }
  return { label, x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 }
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value
}
