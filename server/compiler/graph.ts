/** Ordering and cycle finding over a graph of `count` nodes numbered in file order. */

export interface GraphEdge {
  from: number
  to: number
  /** the edge's index in the file, for pointing at it */
  index: number
}

export interface Cycle {
  /** the nodes around the loop, starting at its first node in file order */
  nodes: number[]
  /** the file index of the edge that leads back to the first node */
  closingEdge: number
}

export interface GraphOrder {
  /** every node not on or after a cycle, each after all its predecessors, ties broken by file order */
  order: number[]
  /** one loop per strongly connected group of nodes */
  cycles: Cycle[]
}

export function orderGraph(count: number, edges: readonly GraphEdge[]): GraphOrder {
  const outgoing: GraphEdge[][] = Array.from({ length: count }, () => [])
  const incoming: number[][] = Array.from({ length: count }, () => [])
  const indegree = new Array<number>(count).fill(0)
  for (const edge of edges) {
    outgoing[edge.from]!.push(edge)
    incoming[edge.to]!.push(edge.from)
    indegree[edge.to]!++
  }

  // Kahn's algorithm; `ready` stays sorted so the earliest node in the file goes first.
  const ready: number[] = []
  for (let node = 0; node < count; node++) if (indegree[node] === 0) ready.push(node)
  const order: number[] = []
  while (ready.length > 0) {
    const node = ready.shift()!
    order.push(node)
    for (const edge of outgoing[node]!) {
      if (--indegree[edge.to]! === 0) insertSorted(ready, edge.to)
    }
  }
  if (order.length === count) return { order, cycles: [] }

  const placed = new Set(order)
  const left = (node: number) => !placed.has(node)
  const covered = new Set<number>()
  const cycles: Cycle[] = []
  for (let node = 0; node < count; node++) {
    if (placed.has(node) || covered.has(node)) continue
    const forward = reach(node, (n) => outgoing[n]!.map((edge) => edge.to), left)
    const backward = reach(node, (n) => incoming[n]!, left)
    const group = new Set([...forward].filter((n) => backward.has(n)))
    for (const member of group) covered.add(member)
    covered.add(node)
    const cycle = shortestLoop(node, group, outgoing)
    if (cycle) cycles.push(cycle)
  }
  return { order, cycles }
}

function insertSorted(list: number[], value: number): void {
  let low = 0
  let high = list.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (list[mid]! < value) low = mid + 1
    else high = mid
  }
  list.splice(low, 0, value)
}

function reach(start: number, next: (node: number) => readonly number[], allowed: (node: number) => boolean): Set<number> {
  const seen = new Set([start])
  const stack = [start]
  while (stack.length > 0) {
    for (const n of next(stack.pop()!)) {
      if (!seen.has(n) && allowed(n)) {
        seen.add(n)
        stack.push(n)
      }
    }
  }
  return seen
}

/** Breadth-first from `start` inside `group` until an edge leads back to `start`. */
function shortestLoop(start: number, group: ReadonlySet<number>, outgoing: readonly GraphEdge[][]): Cycle | undefined {
  const parent = new Map<number, number>([[start, -1]])
  const queue = [start]
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!
    for (const edge of outgoing[node]!) {
      if (edge.to === start) {
        const nodes = [node]
        for (let at = parent.get(node)!; at !== -1; at = parent.get(at)!) nodes.push(at)
        return { nodes: nodes.reverse(), closingEdge: edge.index }
      }
      if (group.has(edge.to) && !parent.has(edge.to)) {
        parent.set(edge.to, node)
        queue.push(edge.to)
      }
    }
  }
  return undefined
}
