// Generated tables with a known structure, for the trainers' tests and the benchmark.
import { seededRandom } from './random'

export interface ClassTable {
  features: Float32Array
  targets: Int32Array
}
export interface ValueTable {
  features: Float32Array
  targets: Float32Array
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/** `classes` Gaussian blobs (spread 1) around centres 4 apart, in `f` dimensions. */
export function blobs(rows: number, f: number, classes: number, seed: number): ClassTable {
  const random = seededRandom(seed)
  const centres = Array.from({ length: classes }, () => Array.from({ length: f }, () => (random() * 2 - 1) * 4))
  const features = new Float32Array(rows * f)
  const targets = new Int32Array(rows)
  for (let r = 0; r < rows; r++) {
    const k = r % classes
    targets[r] = k
    for (let j = 0; j < f; j++) features[r * f + j] = centres[k]![j]! + gaussian(random)
  }
  return { features, targets }
}

/** Two classes: inside or outside the circle of radius 1 in the first two of `f` dimensions. */
export function ring(rows: number, f: number, seed: number): ClassTable {
  const random = seededRandom(seed)
  const features = new Float32Array(rows * f)
  const targets = new Int32Array(rows)
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < f; j++) features[r * f + j] = random() * 3 - 1.5
    targets[r] = Math.hypot(features[r * f]!, features[r * f + 1]!) < 1 ? 0 : 1
  }
  return { features, targets }
}

/** y = x·w + 3 + noise, with `w` fixed by the seed; `nonlinear` adds 2·sin(2x₀) + x₁². */
export function regression(rows: number, f: number, seed: number, noise: number, nonlinear = false): ValueTable {
  const random = seededRandom(seed)
  const w = Array.from({ length: f }, () => random() * 4 - 2)
  const features = new Float32Array(rows * f)
  const targets = new Float32Array(rows)
  for (let r = 0; r < rows; r++) {
    let y = 3
    for (let j = 0; j < f; j++) {
      const x = gaussian(random)
      features[r * f + j] = x
      y += nonlinear ? 0 : x * w[j]!
    }
    if (nonlinear) y += 2 * Math.sin(2 * features[r * f]!) + features[r * f + 1]! ** 2
    targets[r] = y + noise * gaussian(random)
  }
  return { features, targets }
}

/** Splits rows [0, cut) and [cut, rows). */
export function splitRows<T extends ClassTable | ValueTable>(table: T, f: number, cut: number): [T, T] {
  const part = (from: number, to: number) => ({ features: table.features.slice(from * f, to * f), targets: table.targets.slice(from, to) }) as T
  return [part(0, cut), part(cut, table.targets.length)]
}
