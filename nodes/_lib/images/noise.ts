import type { Rng } from './rng'

/**
 * Value noise on a lattice: random values at grid points, smoothly interpolated between them.
 * Cells may be stretched (cellX ≫ cellY gives the long streaks of brushed metal and wood
 * fibres). Values lie in [−1, 1]. Cheap enough to fill a 256×256 field in about a millisecond.
 */
export function valueNoise(width: number, height: number, cellX: number, cellY: number, rng: Rng): Float32Array {
  const columns = Math.ceil(width / cellX) + 2
  const rows = Math.ceil(height / cellY) + 2
  const lattice = new Float32Array(columns * rows)
  for (let i = 0; i < lattice.length; i++) lattice[i] = rng.range(-1, 1)
  // a random offset, so lattice points do not line up with the image's first row and column
  const offsetX = rng.range(0, 1)
  const offsetY = rng.range(0, 1)
  const weightsX = new Float32Array(width)
  const cellsX = new Int32Array(width)
  for (let x = 0; x < width; x++) {
    const gx = x / cellX + offsetX
    cellsX[x] = Math.floor(gx)
    weightsX[x] = smooth(gx - cellsX[x]!)
  }
  const field = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    const gy = y / cellY + offsetY
    const cy = Math.floor(gy)
    const ty = smooth(gy - cy)
    const top = cy * columns
    const bottom = top + columns
    for (let x = 0; x < width; x++) {
      const cx = cellsX[x]!
      const tx = weightsX[x]!
      const a = lattice[top + cx]! + (lattice[top + cx + 1]! - lattice[top + cx]!) * tx
      const b = lattice[bottom + cx]! + (lattice[bottom + cx + 1]! - lattice[bottom + cx]!) * tx
      field[y * width + x] = a + (b - a) * ty
    }
  }
  return field
}

/** Octaves of value noise, each half the cell size and half the amplitude of the last; about [−1, 1]. */
export function fractalNoise(width: number, height: number, cell: number, octaves: number, rng: Rng): Float32Array {
  const field = new Float32Array(width * height)
  let amplitude = 1
  let total = 0
  for (let octave = 0; octave < octaves; octave++) {
    const size = Math.max(1, cell / 2 ** octave)
    const layer = valueNoise(width, height, size, size, rng)
    for (let i = 0; i < field.length; i++) field[i] = field[i]! + layer[i]! * amplitude
    total += amplitude
    amplitude /= 2
  }
  for (let i = 0; i < field.length; i++) field[i] = field[i]! / total
  return field
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t)
}
