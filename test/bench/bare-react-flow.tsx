// The reference for the canvas benchmark: React Flow as its docs start you off, nothing of ours
// but the grid. Bundled by esbuild (bare-react-flow-server.ts) and opened as `/?n=1000`.
import { ReactFlow, useEdgesState, useNodesState, type Edge, type Node } from '@xyflow/react'
import { createRoot } from 'react-dom/client'
import { gridTree } from './canvas-pipelines'

function initialElements(n: number): { nodes: Node[]; edges: Edge[] } {
  const cells = gridTree(n)
  const nodes: Node[] = cells.map((cell) => ({
    id: `n${cell.index}`,
    position: { x: cell.x, y: cell.y },
    data: { label: `Node ${cell.index}` },
  }))
  const edges: Edge[] = cells.flatMap((cell) =>
    cell.parent === null ? [] : [{ id: `e${cell.index}`, source: `n${cell.parent}`, target: `n${cell.index}` }],
  )
  return { nodes, edges }
}

function BareFlow({ initial }: { initial: { nodes: Node[]; edges: Edge[] } }) {
  const [nodes, , onNodesChange] = useNodesState(initial.nodes)
  const [edges, , onEdgesChange] = useEdgesState(initial.edges)
  return (
    <div style={{ width: '100vw', height: '100vh' }}>
      {/* minZoom low enough that fitView really shows all of them, as the editor does */}
      <ReactFlow nodes={nodes} edges={edges} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} minZoom={0.05} fitView />
    </div>
  )
}

const n = Number(new URLSearchParams(location.search).get('n') ?? 1000)
createRoot(document.getElementById('root')!).render(<BareFlow initial={initialElements(n)} />)
