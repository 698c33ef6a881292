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
  const glareX = lighting.glareX * width
  const glareY = lighting.glareY * height
  const glareRadius = Math.max(1, lighting.glareRadius * Math.min(width, height))
  const glareTerm = -1 / (2 * glareRadius * glareRadius)
  const glareLevel = lighting.glare * 255
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = (x * dx + y * dy - low) / span
      const gain = lighting.brightness * (1 - lighting.gradient * along)
      const glare = glareLevel > 0 ? glareLevel * Math.exp(((x - glareX) ** 2 + (y - glareY) ** 2) * glareTerm) : 0
      const i = (y * width + x) * 3
      data[i] = data[i]! * gain + glare
      data[i + 1] = data[i + 1]! * gain + glare
      data[i + 2] = data[i + 2]! * gain + glare
    }
  }
}

/**
 * Out-of-focus blur: a separable gaussian with standard deviation `sigma` pixels (0 = sharp),
 * edges extended. Two 1-D passes cost 2 × (6σ + 1) taps a pixel instead of (6σ + 1)².
 */
export function blur(image: RawImage, sigma: number): void {
  if (!(sigma > 0)) return
  const kernel = gaussianKernel(sigma)
  const { width, height } = image
  const scratch = new Float32Array(image.data.length)
  convolve(image.data, scratch, kernel, width, height, 3, width * 3)
  const out = new Float32Array(image.data.length)
  convolve(scratch, out, kernel, height, width, width * 3, 3)
  image.data.set(out)
}

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(sigma * 3))
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

/**
 * One pass along lines of `length` pixels, `step` bytes apart within a line and `lineStep`
 * bytes from one line to the next (rows for the horizontal pass, columns for the vertical one).
 * Each line is first copied with its edge pixels repeated `radius` times, so the inner loop
 * needs no bounds checks.
 */
function convolve(source: ArrayLike<number>, target: Float32Array, kernel: Float32Array, length: number, lines: number, step: number, lineStep: number) {
  const radius = (kernel.length - 1) / 2
  const padded = new Float32Array((length + 2 * radius) * 3)
  for (let line = 0; line < lines; line++) {
    const start = line * lineStep
    for (let i = -radius; i < length + radius; i++) {
      const j = start + Math.min(length - 1, Math.max(0, i)) * step
      const o = (i + radius) * 3
      padded[o] = source[j]!
      padded[o + 1] = source[j + 1]!
      padded[o + 2] = source[j + 2]!
    }
    for (let i = 0; i < length; i++) {
      let r = 0
      let g = 0
      let b = 0
      for (let k = 0, j = i * 3; k < kernel.length; k++, j += 3) {
        const weight = kernel[k]!
        r += padded[j]! * weight
        g += padded[j + 1]! * weight
        b += padded[j + 2]! * weight
      }
      const o = start + i * step
      target[o] = r
      target[o + 1] = g
      target[o + 2] = b
    }
  }
}

/**
 * Sensor noise: gaussian, `sigma` grey levels per channel, mostly shared by the three channels
 * (luminance noise, as a real sensor's is) with a smaller colour part. Normal values come from
 * a table of 1,024 quantiles indexed by random bits: four values from two draws, several
 * times faster than Box–Muller per value, and no visible difference at 8 bits a channel.
 */
export function sensorNoise(image: RawImage, sigma: number, rng: Rng): void {
  if (!(sigma > 0)) return
  const { data } = image
  const table = normalQuantiles()
  const chroma = sigma * 0.35
  for (let i = 0; i < data.length; i += 3) {
    const bits = (rng.next() * 4294967296) >>> 0
    const more = (rng.next() * 4294967296) >>> 0
    const shared = table[bits >>> 22]! * sigma
    data[i] = data[i]! + shared + table[(bits >>> 12) & 1023]! * chroma
    data[i + 1] = data[i + 1]! + shared + table[(bits >>> 2) & 1023]! * chroma
    data[i + 2] = data[i + 2]! + shared + table[more >>> 22]! * chroma
  }
}

let quantiles: Float32Array | undefined

/** The standard normal's quantiles at (k + ½) / 1024, found by integrating its density once. */
function normalQuantiles(): Float32Array {
  if (quantiles) return quantiles
  const table = new Float32Array(1024)
  const stepSize = 1e-3
  let cumulative = 0
  let z = -6
  for (let k = 0; k < table.length; k++) {
    const target = (k + 0.5) / table.length
    while (cumulative < target) {
      const middle = z + stepSize / 2
      cumulative += (Math.exp(-(middle * middle) / 2) / Math.sqrt(2 * Math.PI)) * stepSize
      z += stepSize
    }
    table[k] = z
  }
  quantiles = table
  return table
}
