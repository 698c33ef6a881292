// Seeded randomness of our own: initial weights, the order of rows each epoch and the dropout seeds
// all come from one seed, so the same data and seed give the same weights.

/** mulberry32: small, fast and good enough for shuffles and initial weights. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Fisher–Yates over `order` in place. */
export function shuffleInPlace(order: Int32Array, random: () => number): Int32Array {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const swap = order[i]!
    order[i] = order[j]!
    order[j] = swap
  }
  return order
}

/** Uniform in [-limit, limit), the He/Glorot uniform initialisers' shape. */
export function uniformArray(length: number, limit: number, random: () => number): Float32Array {
  const values = new Float32Array(length)
  for (let i = 0; i < length; i++) values[i] = (random() * 2 - 1) * limit
  return values
}
