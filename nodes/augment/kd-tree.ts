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

  // the current query's best candidates, nearest first: reused across queries, no allocation per point
  private bestIndex = new Int32Array(0)
  private bestDistance = new Float64Array(0)
  private found = 0
  private k = 0
  private query = 0
  /** per axis, how far the query lies outside the cell being visited (0 inside) */
  private offsets = new Float64Array(0)

  /** the k points nearest to point `index`, itself excluded, nearest first */
  nearest(index: number, k: number): number[] {
    if (this.bestIndex.length < k) {
      this.bestIndex = new Int32Array(k)
      this.bestDistance = new Float64Array(k)
    }
    this.found = 0
    this.k = k
    this.query = index
    if (this.offsets.length < this.dims) this.offsets = new Float64Array(this.dims)
    this.offsets.fill(0)
    if (this.nodes.length > 0) this.visit(0, 0)
    return Array.from(this.bestIndex.subarray(0, this.found))
  }

  /**
   * `cellDistance` is the squared distance from the query to the cell of `node` (Arya & Mount's
   * incremental distance): a far side is skipped once its whole cell is beyond the k-th best.
   */
  private visit(node: number, cellDistance: number): void {
    const { lo, hi, axis, split, left, right } = this.nodes[node]!
    if (axis < 0) {
      for (let i = lo; i < hi; i++) this.consider(this.order[i]!)
      return
    }
    const delta = this.points[this.query * this.dims + axis]! - split
    this.visit(delta < 0 ? left : right, cellDistance)
    const old = this.offsets[axis]!
    const farDistance = cellDistance - old * old + delta * delta
    if (this.found < this.k || farDistance <= this.bestDistance[this.found - 1]!) {
      this.offsets[axis] = delta
      this.visit(delta < 0 ? right : left, farDistance)
      this.offsets[axis] = old
    }
  }

  private consider(candidate: number): void {
    if (candidate === this.query) return
    const full = this.found === this.k
    const bound = full ? this.bestDistance[this.k - 1]! : Infinity
    const distance = this.distance(candidate, bound)
    if (full && !(distance < bound || (distance === bound && candidate < this.bestIndex[this.k - 1]!))) return
    let at = full ? this.k - 1 : this.found++
    while (at > 0 && closer(distance, candidate, this.bestDistance[at - 1]!, this.bestIndex[at - 1]!)) {
      this.bestDistance[at] = this.bestDistance[at - 1]!
      this.bestIndex[at] = this.bestIndex[at - 1]!
      at--
    }
    this.bestDistance[at] = distance
    this.bestIndex[at] = candidate
  }

  /** squared distance to the query; stops counting once past `bound` (the answer is then only "too far") */
  private distance(candidate: number, bound: number): number {
    let sum = 0
    const q = this.query * this.dims
    const c = candidate * this.dims
    for (let d = 0; d < this.dims; d++) {
      const diff = this.points[q + d]! - this.points[c + d]!
      sum += diff * diff
      if (sum > bound) return sum
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

function closer(distance: number, index: number, thanDistance: number, thanIndex: number): boolean {
  return distance < thanDistance || (distance === thanDistance && index < thanIndex)
}
