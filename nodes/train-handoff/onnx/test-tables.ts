// Test support: a table with column names ONNX must carry verbatim, nulls and unseen categories.
import type { TabularFeatureSpec, TabularRow } from './tabular-preprocess'
import { seeded } from './test-runtimes'

// column names ONNX must carry verbatim: spaces, brackets, quotes, slashes, unicode
export const oddFeatures: TabularFeatureSpec[] = [
  { name: 'bill length [mm]', kind: 'number' },
  { name: 'island "name"', kind: 'category' },
  { name: "body mass (g) / 'kg'", kind: 'number' },
  { name: 'größe — 種', kind: 'category' },
  { name: 'constant', kind: 'number' },
]

export function oddRows(count: number, seed: number): TabularRow[] {
  const random = seeded(seed)
  const islands = ['Biscoe', 'Dream', 'Torgersen']
  const sizes = ['klein', 'groß', '大']
  return Array.from({ length: count }, (_, i) => ({
    'bill length [mm]': i % 7 === 3 ? null : 30 + random() * 30,
    'island "name"': i % 5 === 4 ? null : islands[Math.floor(random() * 3)],
    "body mass (g) / 'kg'": i % 6 === 5 ? Number.NaN : Math.round(3000 + random() * 3000),
    'größe — 種': i % 4 === 2 ? '' : sizes[Math.floor(random() * 3)],
    constant: 7,
  }))
}
