import type { RawImage } from './raw-image'
import type { Rng } from './rng'

/**
 * What the camera adds between the part and the pixels: uneven light, a lens that is not quite
 * in focus, a noisy sensor. All work in place on a RawImage.
 */
export interface Lighting {
  /** overall gain: 1 as lit, below darker, above brighter */
  brightness: number
  /** how much darker the far side is than the near side, 0…1 */
  gradient: number
  /** direction the light falls off toward, in degrees (0 = toward the right, 90 = toward the bottom) */
  gradientAngle: number
  /** a specular highlight: its strength 0…1 (0 = none) */
  glare: number
  /** where the highlight sits, as fractions of the width and height */
  glareX: number
  glareY: number
  /** its radius as a fraction of the shorter side */
  glareRadius: number
}

export function applyLighting(image: RawImage, lighting: Lighting): void {
  const { width, height, data } = image
  const angle = (lighting.gradientAngle * Math.PI) / 180
  const dx = Math.cos(angle)
  const dy = Math.sin(angle)
  // project the corners on the direction, so the gradient runs exactly from one side to the other
  const corners = [0, dx * (width - 1), dy * (height - 1), dx * (width - 1) + dy * (height - 1)]
  const low = Math.min(...corners)
  const span = Math.max(...corners) - low || 1
  const glareRadius = Math.max(1, lighting.glareRadius * Math.min(width, height))
  // the highlight is a gaussian, so it separates: one exp per row and one per column, not per pixel
  const glareLevel = lighting.glare * 255
  const glareColumns = gaussianProfile(width, lighting.glareX * width, glareRadius)
  const glareRows = gaussianProfile(height, lighting.glareY * height, glareRadius)
  const gainStep = (-lighting.brightness * lighting.gradient * dx) / span
  for (let y = 0; y < height; y++) {
    let gain = lighting.brightness * (1 - (lighting.gradient * (y * dy - low)) / span)
    const rowGlare = glareLevel * glareRows[y]!
    for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
      const glare = rowGlare * glareColumns[x]!
      data[i] = data[i]! * gain + glare
      data[i + 1] = data[i + 1]! * gain + glare
      data[i + 2] = data[i + 2]! * gain + glare
      gain += gainStep
    }
  }
}

function gaussianProfile(length: number, center: number, radius: number): Float32Array {
  const profile = new Float32Array(length)
  for (let i = 0; i < length; i++) profile[i] = Math.exp(-((i - center) * (i - center)) / (2 * radius * radius))
  return profile
}

/**
 * Out-of-focus blur: a separable gaussian with standard deviation `sigma` pixels (0 = sharp),
 * edges extended. Two 1-D passes cost 2 × (4σ + 1) taps a pixel instead of (4σ + 1)².
 */
export function blur(image: RawImage, sigma: number): void {
  if (!(sigma > 0)) return
  const kernel = gaussianKernel(sigma)
  const { width, height } = image
  // both passes read and write Float32Arrays only: one array type keeps the inner loop fast
  const pixels = scratchBuffer(0, image.data.length)
  const across = scratchBuffer(1, image.data.length)
  pixels.set(image.data)
  blurRows(pixels, across, kernel, width, height)
  blurColumns(across, pixels, kernel, width, height)
  image.data.set(pixels)
}

/** Two reusable buffers: a blur per image would otherwise leave 1.5 MB of garbage at 256×256. */
const scratchBuffers: Float32Array[] = []
function scratchBuffer(slot: number, length: number): Float32Array {
  const existing = scratchBuffers[slot]
  if (existing && existing.length === length) return existing
  const created = new Float32Array(length)
  scratchBuffers[slot] = created
  return created
}

function gaussianKernel(sigma: number): Float32Array {
  // cut at 2σ: the 5% of the weight beyond is invisible at 8 bits, and σ = 0.5 needs 3 taps, not 5
  const radius = Math.max(1, Math.ceil(sigma * 2))
  const kernel = new Float32Array(2 * radius + 1)
  let total = 0
  for (let i = -radius; i <= radius; i++) {
    const weight = Math.exp(-(i * i) / (2 * sigma * sigma))
    kernel[i + radius] = weight
    total += weight
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] = kernel[i]! / total
  return kernel
}

/** The horizontal pass: each row copied with its edge pixels repeated, then convolved without bounds checks. */
function blurRows(source: Float32Array, target: Float32Array, kernel: Float32Array, width: number, height: number) {
  const radius = (kernel.length - 1) / 2
  const padded = new Float32Array((width + 2 * radius) * 3)
  for (let y = 0; y < height; y++) {
    const row = y * width * 3
    for (let i = -radius; i < width + radius; i++) {
      const j = row + Math.min(width - 1, Math.max(0, i)) * 3
      const o = (i + radius) * 3
      padded[o] = source[j]!
      padded[o + 1] = source[j + 1]!
      padded[o + 2] = source[j + 2]!
    }
    for (let x = 0; x < width; x++) {
      let r = 0
      let g = 0
      let b = 0
      for (let k = 0, j = x * 3; k < kernel.length; k++, j += 3) {
        const weight = kernel[k]!
        r += padded[j]! * weight
        g += padded[j + 1]! * weight
        b += padded[j + 2]! * weight
      }
      const o = row + x * 3
      target[o] = r
      target[o + 1] = g
      target[o + 2] = b
    }
  }
}

/** The vertical pass, a whole row at a time: walking down columns would miss the cache at every step. */
function blurColumns(source: Float32Array, target: Float32Array, kernel: Float32Array, width: number, height: number) {
  const radius = (kernel.length - 1) / 2
  const rowLength = width * 3
  for (let y = 0; y < height; y++) {
    const out = y * rowLength
    target.fill(0, out, out + rowLength)
    for (let k = 0; k < kernel.length; k++) {
      const from = Math.min(height - 1, Math.max(0, y + k - radius)) * rowLength
      const weight = kernel[k]!
      for (let j = 0; j < rowLength; j++) target[out + j] = target[out + j]! + source[from + j]! * weight
    }
  }
}

/**
 * Sensor noise: gaussian, `sigma` grey levels per channel, mostly shared by the three channels
 * (luminance noise, as a real sensor's is) with a smaller colour part. Normal values come from
 * tables of quantiles indexed by random bits: one 32-bit draw gives a pixel's four values (10
 * bits for the shared part, 7 for each colour part), several times faster than Box–Muller,
 * with no visible difference at 8 bits a channel.
 */
export function sensorNoise(image: RawImage, sigma: number, rng: Rng): void {
  if (!(sigma > 0)) return
  const { data } = image
  const shared = normalQuantiles(1024)
  const colour = normalQuantiles(128)
  const chroma = sigma * 0.35
  // sfc32 inline, seeded from `rng`: the same generator as rng.ts, with its state in locals,
  // which is what makes a draw per pixel cheap
  let a = uint32(rng)
  let b = uint32(rng)
  let c = uint32(rng)
  let d = 1
  for (let i = 0; i < data.length; i += 3) {
    const bits = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + bits) >>> 0
    const common = shared[bits >>> 22]! * sigma
    data[i] = data[i]! + common + colour[(bits >>> 15) & 127]! * chroma
    data[i + 1] = data[i + 1]! + common + colour[(bits >>> 8) & 127]! * chroma
    data[i + 2] = data[i + 2]! + common + colour[(bits >>> 1) & 127]! * chroma
  }
}

function uint32(rng: Rng): number {
  return (rng.next() * 4294967296) >>> 0
}

const quantileTables = new Map<number, Float32Array>()

/** The standard normal's quantiles at (k + ½) / size, found by integrating its density once. */
function normalQuantiles(size: number): Float32Array {
  const known = quantileTables.get(size)
  if (known) return known
  const table = new Float32Array(size)
  const stepSize = 1e-3
  let cumulative = 0
  let z = -6
  for (let k = 0; k < size; k++) {
    const target = (k + 0.5) / size
    while (cumulative < target) {
      const middle = z + stepSize / 2
      cumulative += (Math.exp(-(middle * middle) / 2) / Math.sqrt(2 * Math.PI)) * stepSize
      z += stepSize
    }
    table[k] = z
  }
  quantileTables.set(size, table)
  return table
}
