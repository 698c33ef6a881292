// Test support: rows with a known nonlinear structure that no straight line separates, as the
// node's trainers see them (numbers with nulls, a text column), for the trees' tests.
import type { TabularFeatureSpec, TabularRow } from '../onnx/tabular-preprocess'
import { seededRandom } from '../tabular/random'

export const treeFeatures: TabularFeatureSpec[] = [
  { name: 'x', kind: 'number' },
  { name: 'y', kind: 'number' },
  { name: 'noise', kind: 'number' },
  { name: 'colour', kind: 'category' },
]

export type Structure = 'xor' | 'xor-ring' | 'wave'

/** xor: 'same' / 'differ' by the signs of x and y; xor-ring adds 'ring' inside x² + y² < 0.3. */
export function classOf(x: number, y: number, structure: 'xor' | 'xor-ring'): string {
  if (structure === 'xor-ring' && x * x + y * y < 0.3) return 'ring'
  return x * y > 0 ? 'same' : 'differ'
}

/** wave: sin(3x) + y² + 0.5 for red rows, no noise: a tree ensemble can reach R² ≈ 1. */
export function valueOf(x: number, y: number, colour: string | null): number {
  return Math.sin(3 * x) + y * y + (colour === 'red' ? 0.5 : 0)
}

/** `colours` lets held-out rows carry a category training never saw. */
export function treeRows(count: number, seed: number, structure: Structure, colours: readonly (string | null)[] = ['red', 'blue', null]): { rows: TabularRow[]; labels: (string | number)[] } {
  const random = seededRandom(seed)
  const rows: TabularRow[] = []
  const labels: (string | number)[] = []
  for (let i = 0; i < count; i++) {
    const x = random() * 2 - 1
    const y = random() * 2 - 1
    const noise = random()
    const colour = colours[Math.floor(random() * colours.length)] ?? null
    rows.push({ x, y, noise: i % 10 === 0 ? null : noise, colour })
    labels.push(structure === 'wave' ? valueOf(x, y, colour) : classOf(x, y, structure))
  }
  return { rows, labels }
}
