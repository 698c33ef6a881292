import type { PipelineFile } from '@/server/compiler/pipeline-file'

/** Grid spacing in flow pixels: a 224 × ~110 node box with room for its edges. */
const columnGap = 300
const rowGap = 160

export interface GridCell {
  /** 0 is the ingest node; 1 … n-1 are validate nodes */
  index: number
  x: number
  y: number
  /** the node that feeds this one, or null for the root */
  parent: number | null
}

/**
 * n nodes on a near-square grid, so fitting the whole graph into a landscape canvas needs no
 * more zoom-out than the editor allows. Each row is a chain (fed from its left neighbour); each
 * row's first node hangs off the first node of the row above: one tree of n - 1 edges, every
 * edge short, as in a real pipeline and not a tangle of long diagonals.
 */
export function gridTree(n: number): GridCell[] {
  const columns = Math.ceil(Math.sqrt(n))
  return Array.from({ length: n }, (_, index) => {
    const column = index % columns
    const row = Math.floor(index / columns)
    const parent = index === 0 ? null : column > 0 ? index - 1 : index - columns
    return { index, x: column * columnGap, y: row * rowGap, parent }
  })
}

const nodeName = (index: number) => (index === 0 ? 'load' : `v${index}`)

/** A pipeline file of 1 ingest and n - 1 validate steps, laid out by `gridTree`, with positions in `ui`. */
export function generatedPipeline(n: number): PipelineFile {
  const cells = gridTree(n)
  const nodes: PipelineFile['nodes'] = cells.map((cell) =>
    cell.index === 0
      ? { id: 'load', kind: 'ingest', config: { source: { type: 'sample', name: 'penguins' } } }
      : { id: nodeName(cell.index), kind: 'validate', config: { rules: [] } },
  )
  const edges: PipelineFile['edges'] = cells.flatMap((cell) => {
    if (cell.parent === null) return []
    const from = cell.parent === 0 ? 'load.dataset' : `${nodeName(cell.parent)}.${outputFor(cell)}`
    return [{ from, to: `${nodeName(cell.index)}.dataset` }]
  })
  const positions = Object.fromEntries(cells.map((cell) => [nodeName(cell.index), { x: cell.x, y: cell.y }]))
  return { apiVersion: 'pipewright/v1', name: `canvas-bench-${n}`, nodes, edges, ui: { positions } }
}

/** Rows go on from the clean rows; a new row starts from the quarantine of the row above (a second look at the rejects). */
function outputFor(cell: GridCell): 'clean' | 'quarantine' {
  return cell.parent === cell.index - 1 ? 'clean' : 'quarantine'
}
