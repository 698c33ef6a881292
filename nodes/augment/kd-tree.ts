/**
 * k nearest neighbours by Euclidean distance over points in memory (SMOTE's neighbour search).
 * A k-d tree split on the widest axis at the median: a query costs about log n distance
 * computations on a few dimensions, so 100,000 rows take well under a second. Ties are broken
 * by point index, so the answer never depends on anything but the points.
 */
export class KdTree {
  private readonly order: Int32Array
  /** per node (a range of `order`): the split axis, or -1 for a leaf */
  private readonly nodes: { lo: number; hi: number; axis: number; split: number; left: number; right: number }[] = []

  /** `points` holds n points of `dims` coordinates each, row after row */
  constructor(
    private readonly points: Float64Array,
    private readonly dims: number,
  ) {
    const n = points.length / dims
    this.order = Int32Array.from({ length: n }, (_, i) => i)
    if (n > 0) this.build(0, n)
  }

  /** the k points nearest to point `index`, itself excluded, nearest first */
  nearest(index: number, k: number): number[] {
    const best: { index: number; distance: number }[] = []
    const query = this.points.subarray(index * this.dims, (index + 1) * this.dims)
    const consider = (candidate: number) => {
      if (candidate === index) return
      const distance = this.distance(query, candidate)
      if (best.length === k && !closer(distance, candidate, best[k - 1]!)) return
      let at = best.length
      while (at > 0 && closer(distance, candidate, best[at - 1]!)) at--
      best.splice(at, 0, { index: candidate, distance })
      if (best.length > k) best.pop()
    }
    const visit = (node: number) => {
      const { lo, hi, axis, split, left, right } = this.nodes[node]!
      if (axis < 0) {
        for (let i = lo; i < hi; i++) consider(this.order[i]!)
        return
      }
      const delta = query[axis]! - split
      const [near, far] = delta < 0 ? [left, right] : [right, left]
      visit(near)
      // the other side can only hold a closer point if the splitting plane is within reach
      if (best.length < k || delta * delta <= best[best.length - 1]!.distance) visit(far)
    }
    if (this.nodes.length > 0) visit(0)
    return best.map((b) => b.index)
  }

  private distance(query: Float64Array, candidate: number): number {
    let sum = 0
    const offset = candidate * this.dims
    for (let d = 0; d < this.dims; d++) {
      const diff = query[d]! - this.points[offset + d]!
      sum += diff * diff
    }
    return sum
  }

  private build(lo: number, hi: number): number {
    const id = this.nodes.length
    this.nodes.push({ lo, hi, axis: -1, split: 0, left: -1, right: -1 })
    if (hi - lo <= 16) return id
    const axis = this.widestAxis(lo, hi)
    if (axis < 0) return id // every point the same: a leaf
    const slice = this.order.subarray(lo, hi)
    slice.sort((a, b) => this.points[a * this.dims + axis]! - this.points[b * this.dims + axis]! || a - b)
    const mid = lo + ((hi - lo) >> 1)
    const node = this.nodes[id]!
    node.axis = axis
    node.split = this.points[this.order[mid]! * this.dims + axis]!
    node.left = this.build(lo, mid)
    node.right = this.build(mid, hi)
    return id
  }

  private widestAxis(lo: number, hi: number): number {
    let axis = -1
    let widest = 0
    for (let d = 0; d < this.dims; d++) {
      let min = Infinity
      let max = -Infinity
      for (let i = lo; i < hi; i++) {
        const v = this.points[this.order[i]! * this.dims + d]!
        if (v < min) min = v
        if (v > max) max = v
      }
      if (max - min > widest) {
        widest = max - min
        axis = d
      }
    }
    return axis
  }
}

function closer(distance: number, index: number, than: { index: number; distance: number }): boolean {
  return distance < than.distance || (distance === than.distance && index < than.index)
}
