// Generated test images with known structure: a bright filled square, a bright filled circle or
// bright stripes, at a random place, size and tint on a noisy dark background. Returned already
// as the head's input (NCHW, normalised as (pixel/255 − 0.5) / 0.25), for tests and the bench.
import { createRng, type Rng } from '@/nodes/_lib/images/rng'
import type { ImageTensorSet } from './cnn'

export const shapeLabels = ['square', 'circle', 'stripes'] as const

function inside(kind: number, x: number, y: number, cx: number, cy: number, r: number, period: number, vertical: boolean): boolean {
  const dx = x - cx
  const dy = y - cy
  if (kind === 0) return Math.abs(dx) <= r && Math.abs(dy) <= r
  if (kind === 1) return dx * dx + dy * dy <= r * r
  return Math.floor((vertical ? x : y) / period) % 2 === 0
}

function paint(features: Float32Array, offset: number, size: number, kind: number, rng: Rng): void {
  const r = rng.range(size * 0.18, size * 0.32)
  const cx = rng.range(r, size - r)
  const cy = rng.range(r, size - r)
  const period = Math.max(2, Math.round(rng.range(size / 14, size / 7)))
  const vertical = rng.chance(0.5)
  const tint = [rng.range(150, 255), rng.range(150, 255), rng.range(150, 255)]
  const plane = size * size
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = inside(kind, x + 0.5, y + 0.5, cx, cy, r, period, vertical)
      for (let c = 0; c < 3; c++) {
        const pixel = Math.min(255, Math.max(0, (on ? tint[c]! : 40) + rng.normal() * 12))
        features[offset + c * plane + y * size + x] = (pixel / 255 - 0.5) / 0.25
      }
    }
  }
}

export function renderShapes(count: number, size: number, seed: number): ImageTensorSet {
  const rng = createRng(seed)
  const features = new Float32Array(count * 3 * size * size)
  const labels = new Int32Array(count)
  for (let i = 0; i < count; i++) {
    labels[i] = i % shapeLabels.length
    paint(features, i * 3 * size * size, size, labels[i]!, rng.fork(i))
  }
  return { features, labels, count }
}
