/**
 * A small seeded random generator (sfc32 seeded through splitmix32): the same seed gives the
 * same numbers on every machine, in Node and in the browser, so generated images and
 * augmentations are reproducible byte for byte. Not for anything secret.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number
  /** uniform in [min, max) */
  range(min: number, max: number): number
  /** an integer in [min, max] */
  int(min: number, max: number): number
  /** true with probability p */
  chance(p: number): boolean
  /** standard normal (Box–Muller) */
  normal(): number
  /** one element of a non-empty list */
  pick<T>(items: readonly T[]): T
  /** an independent generator derived from this one and a label (for one image, one op) */
  fork(label: string | number): Rng
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** FNV-1a over the text: turns a label into 32 bits for `fork`. */
function hashText(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0
  return hash
}

export function createRng(seed: number): Rng {
  const init = splitmix32(Math.floor(seed) ^ 0x5bd1e995)
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  const nextUint = () => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t
  }
  for (let i = 0; i < 12; i++) nextUint()
  const next = () => nextUint() / 4294967296
  let spare: number | undefined
  const rng: Rng = {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    normal() {
      if (spare !== undefined) {
        const value = spare
        spare = undefined
        return value
      }
      const u = Math.max(next(), 1e-12)
      const v = next()
      const radius = Math.sqrt(-2 * Math.log(u))
      spare = radius * Math.sin(2 * Math.PI * v)
      return radius * Math.cos(2 * Math.PI * v)
    },
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[Math.floor(next() * items.length)]!
    },
    fork: (label) => createRng((nextUint() ^ hashText(String(label))) >>> 0),
  }
  return rng
}

/** A generator for item `index` of a seeded batch, independent of how many came before it. */
export function rngFor(seed: number, ...labels: (string | number)[]): Rng {
  return createRng(hashText(`${seed}:${labels.join(':')}`))
}
