import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { KdTree } from './kd-tree'

function bruteForce(points: number[][], index: number, k: number): number[] {
  const distance = (a: number[], b: number[]) => a.reduce((sum, v, d) => sum + (v - b[d]!) ** 2, 0)
  return points
    .map((p, i) => ({ i, d: distance(p, points[index]!) }))
    .filter((e) => e.i !== index)
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, k)
    .map((e) => e.i)
}

describe('KdTree', () => {
  it('finds the same k nearest points as a brute-force search, ties broken by index (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((dims) =>
          fc.tuple(
            fc.constant(dims),
            // small integer coordinates: many duplicates and ties
            fc.array(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: dims, maxLength: dims }), { minLength: 2, maxLength: 120 }),
            fc.integer({ min: 1, max: 8 }),
          ),
        ),
        ([dims, points, k]) => {
          const tree = new KdTree(Float64Array.from(points.flat()), dims)
          for (let i = 0; i < points.length; i++) expect(tree.nearest(i, k)).toEqual(bruteForce(points, i, k))
        },
      ),
      { numRuns: 150 },
    )
  })
})
