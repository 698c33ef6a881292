import { fractalNoise, valueNoise } from './noise'
import { createImage, type RawImage } from './raw-image'
import type { Rng } from './rng'

/**
 * Procedural product surfaces the camera emulator photographs. Each is drawn from its own
 * random generator, so the same seed gives the same part; scales follow the image size, so a
 * 64×64 and a 512×512 render of a surface look alike.
 */
export const surfaceKinds = ['brushed-metal', 'textile', 'printed-circuit', 'wood'] as const
export type SurfaceKind = (typeof surfaceKinds)[number]

export function renderSurface(kind: SurfaceKind, width: number, height: number, rng: Rng): RawImage {
  return surfaces[kind](width, height, rng)
}

type Rgb = readonly [number, number, number]
const surfaces: Record<SurfaceKind, (width: number, height: number, rng: Rng) => RawImage> = {
  'brushed-metal': brushedMetal,
  textile,
  'printed-circuit': printedCircuit,
  wood,
}

/** Fine parallel streaks (one row barely related to the next) over a broad, soft sheen. */
function brushedMetal(width: number, height: number, rng: Rng): RawImage {
  const image = createImage(width, height)
  const side = Math.min(width, height)
  const base = rng.range(135, 180)
  const streaks = valueNoise(width, height, Math.max(8, width / rng.range(3, 6)), 1, rng)
  const fine = valueNoise(width, height, rng.range(3, 8), 1, rng)
  const sheen = fractalNoise(width, height, side / 2, 2, rng)
  const tint: Rgb = [0, 2, 6]
  for (let p = 0; p < width * height; p++) {
    const grey = base + streaks[p]! * 14 + fine[p]! * 6 + sheen[p]! * 22
    setPixel(image, p, grey + tint[0], grey + tint[1], grey + tint[2])
  }
  return image
}

const fabricColors: readonly Rgb[] = [
  [52, 78, 130],
  [120, 120, 124],
  [196, 178, 146],
  [60, 96, 70],
  [140, 48, 52],
]

/** A plain weave: warp and weft threads crossing over and under, each thread its own shade. */
function textile(width: number, height: number, rng: Rng): RawImage {
  const image = createImage(width, height)
  const period = Math.max(3, Math.round(Math.min(width, height) * rng.range(0.015, 0.03)))
  const color = rng.pick(fabricColors)
  const warpShade = Array.from({ length: Math.ceil(width / period) + 1 }, () => rng.range(-10, 10))
  const weftShade = Array.from({ length: Math.ceil(height / period) + 1 }, () => rng.range(-10, 10))
  const dye = fractalNoise(width, height, Math.min(width, height) / 3, 2, rng)
  const fibres = valueNoise(width, height, 2, 2, rng)
  const profile = Float32Array.from({ length: period }, (_, i) => 0.62 + 0.38 * Math.sin((Math.PI * (i + 0.5)) / period))
  for (let y = 0; y < height; y++) {
    const threadY = Math.floor(y / period)
    for (let x = 0; x < width; x++) {
      const threadX = Math.floor(x / period)
      const p = y * width + x
      const warpOnTop = (threadX + threadY) % 2 === 0
      const light = warpOnTop ? profile[x % period]! : profile[y % period]!
      const shade = (warpOnTop ? warpShade[threadX]! : weftShade[threadY]!) + dye[p]! * 12 + fibres[p]! * 6
      setPixel(image, p, color[0] * light + shade, color[1] * light + shade, color[2] * light + shade)
    }
  }
  return image
}

/** Green solder mask with lighter copper traces under it, gold pads and vias, a chip's footprint and silkscreen. */
function printedCircuit(width: number, height: number, rng: Rng): RawImage {
  const image = createImage(width, height)
  const side = Math.min(width, height)
  const grid = Math.max(4, Math.round(side / rng.range(18, 28)))
  const mask: Rgb = [rng.range(18, 36), rng.range(88, 118), rng.range(44, 64)]
  const texture = fractalNoise(width, height, side / 4, 2, rng)
  for (let p = 0; p < width * height; p++) {
    const t = texture[p]! * 6
    setPixel(image, p, mask[0] + t, mask[1] + t, mask[2] + t)
  }
  const trace: Rgb = [mask[0] + 40, mask[1] + 50, mask[2] + 20]
  const gold: Rgb = [206, 172, 92]
  const snap = (value: number, limit: number) => Math.min(limit - grid, Math.max(grid, Math.round(value / grid) * grid))
  const traceWidth = Math.max(1, Math.round(grid * 0.3))
  const padRadius = Math.max(1.5, grid * 0.35)
  for (let i = 0, count = Math.max(4, Math.round(side / 12)); i < count; i++) {
    const x0 = snap(rng.range(0, width), width)
    const y0 = snap(rng.range(0, height), height)
    const x1 = snap(rng.range(0, width), width)
    const y1 = snap(rng.range(0, height), height)
    // an L-shaped route: along x first, then along y
    fillRect(image, Math.min(x0, x1), y0 - traceWidth / 2, Math.abs(x1 - x0) + traceWidth, traceWidth, trace)
    fillRect(image, x1 - traceWidth / 2, Math.min(y0, y1), traceWidth, Math.abs(y1 - y0) + traceWidth, trace)
    fillDisc(image, x0, y0, padRadius, gold)
    fillDisc(image, x1, y1, padRadius, gold)
    if (rng.chance(0.5)) fillDisc(image, x1, y1, padRadius * 0.45, [20, 22, 18])
  }
  drawChip(image, grid, gold, rng)
  return image
}

/** A row of pads on two sides of a white silkscreen outline: the footprint of an IC. */
function drawChip(image: RawImage, grid: number, gold: Rgb, rng: Rng) {
  const pins = rng.int(3, 6)
  const chipWidth = grid * (pins + 1)
  const chipHeight = grid * 3
  if (chipWidth + 2 * grid > image.width || chipHeight + 2 * grid > image.height) return
  const left = rng.range(grid, image.width - chipWidth - grid)
  const top = rng.range(grid, image.height - chipHeight - grid)
  const line = Math.max(1, Math.round(grid / 8))
  const white: Rgb = [225, 228, 220]
  fillRect(image, left, top, chipWidth, line, white)
  fillRect(image, left, top + chipHeight - line, chipWidth, line, white)
  fillRect(image, left, top, line, chipHeight, white)
  fillRect(image, left + chipWidth - line, top, line, chipHeight, white)
  const padWidth = Math.max(1, grid * 0.5)
  const padHeight = Math.max(1, grid * 0.8)
  for (let i = 1; i <= pins; i++) {
    const x = left + i * grid - padWidth / 2
    fillRect(image, x, top - padHeight * 0.6, padWidth, padHeight, gold)
    fillRect(image, x, top + chipHeight - padHeight * 0.4, padWidth, padHeight, gold)
  }
}

/** Growth rings seen from the side: bands bent by slow noise, fine fibres along the grain, maybe a knot. */
function wood(width: number, height: number, rng: Rng): RawImage {
  const image = createImage(width, height)
  const side = Math.min(width, height)
  const warm = rng.range(-15, 15)
  const light: Rgb = [210 + warm, 164 + warm * 0.7, 112]
  const dark: Rgb = [148 + warm, 98 + warm * 0.6, 58]
  const bands = rng.range(5, 11) / side
  const bend = fractalNoise(width, height, side / 1.5, 2, rng)
  const fibres = valueNoise(width, height, Math.max(6, width / 8), 1, rng)
  const knot = rng.chance(0.4) ? { x: rng.range(0.2, 0.8) * width, y: rng.range(0.2, 0.8) * height, r: side * rng.range(0.04, 0.09) } : undefined
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x
      let phase = y * bands + bend[p]! * 1.6
      if (knot) {
        // near the knot the rings turn into circles around it, blending smoothly into the grain
        const d2 = ((x - knot.x) * (x - knot.x) + (y - knot.y) * (y - knot.y)) / (knot.r * knot.r)
        const weight = Math.exp(-d2 / 6)
        phase += (Math.sqrt(d2) * 0.45 - phase) * weight
      }
      const ring = 0.5 + 0.5 * Math.sin(2 * Math.PI * phase)
      // late wood (the dark part of a ring) is narrower than early wood
      const t = ring * ring * ring + fibres[p]! * 0.12
      setPixel(image, p, light[0] + (dark[0] - light[0]) * t, light[1] + (dark[1] - light[1]) * t, light[2] + (dark[2] - light[2]) * t)
    }
  }
  return image
}

function setPixel(image: RawImage, pixel: number, r: number, g: number, b: number) {
  const i = pixel * 3
  image.data[i] = r
  image.data[i + 1] = g
  image.data[i + 2] = b
}

function fillRect(image: RawImage, x: number, y: number, w: number, h: number, color: Rgb) {
  const x0 = Math.max(0, Math.round(x))
  const y0 = Math.max(0, Math.round(y))
  const x1 = Math.min(image.width, Math.round(x + w))
  const y1 = Math.min(image.height, Math.round(y + h))
  for (let py = y0; py < y1; py++) {
    for (let px = x0; px < x1; px++) setPixel(image, py * image.width + px, color[0], color[1], color[2])
  }
}

function fillDisc(image: RawImage, cx: number, cy: number, radius: number, color: Rgb) {
  const y0 = Math.max(0, Math.floor(cy - radius))
  const y1 = Math.min(image.height, Math.ceil(cy + radius) + 1)
  const x0 = Math.max(0, Math.floor(cx - radius))
  const x1 = Math.min(image.width, Math.ceil(cx + radius) + 1)
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const coverage = Math.min(1, Math.max(0, radius + 0.5 - Math.hypot(x + 0.5 - cx, y + 0.5 - cy)))
      if (coverage === 0) continue
      const i = (y * image.width + x) * 3
      for (let c = 0; c < 3; c++) image.data[i + c] = image.data[i + c]! + (color[c]! - image.data[i + c]!) * coverage
    }
  }
}
