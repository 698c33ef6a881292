import { layoutGraph, portY, type GraphInput, type LaidOutNode } from './graph-layout'

const categoryColours: Record<string, string> = {
  data: 'fill-sky-500',
  model: 'fill-violet-500',
  deploy: 'fill-emerald-500',
  monitor: 'fill-amber-500',
}

/** A read-only drawing of a pipeline version: boxes for nodes, curves for edges. */
export function PipelineGraph({ file }: { file: GraphInput }) {
  const layout = layoutGraph(file)
  if (layout.nodes.length === 0) {
    return <p className="p-6 text-sm text-zinc-500">This version has no nodes.</p>
  }
  return (
    <div className="overflow-x-auto bg-[radial-gradient(circle,_#e4e4e7_1px,_transparent_1px)] [background-size:16px_16px]">
      <svg
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-label={`Pipeline graph with ${layout.nodes.length} nodes`}
        className="mx-auto block max-w-none"
        data-testid="pipeline-graph"
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="fill-zinc-400" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <path
            key={edge.key}
            d={edge.path}
            className="fill-none stroke-zinc-400"
            strokeWidth={1.5}
            markerEnd="url(#arrow)"
          >
            <title>{`${edge.fromPort} → ${edge.toPort}`}</title>
          </path>
        ))}
        {layout.nodes.map((node) => (
          <GraphNode key={node.id} node={node} />
        ))}
      </svg>
    </div>
  )
}

function GraphNode({ node }: { node: LaidOutNode }) {
  const colour = (node.category && categoryColours[node.category]) || 'fill-zinc-400'
  return (
    <g data-testid={`graph-node-${node.id}`}>
      <rect
        x={node.x}
        y={node.y}
        width={node.width}
        height={node.height}
        rx={8}
        className="fill-white stroke-zinc-300"
        strokeWidth={1}
        filter="drop-shadow(0 1px 1px rgb(0 0 0 / 0.05))"
      />
      <rect x={node.x} y={node.y + 10} width={3} height={30} rx={1.5} className={colour} />
      <text x={node.x + 14} y={node.y + 22} className="fill-zinc-900 font-mono text-[13px] font-semibold">
        {truncate(node.id, 24)}
      </text>
      <text x={node.x + 14} y={node.y + 39} className="fill-zinc-500 text-[12px]">
        {node.title}
        {node.title.toLowerCase() !== node.kind ? ` · ${node.kind}` : ''}
      </text>
      <line x1={node.x} x2={node.x + node.width} y1={node.y + 48} y2={node.y + 48} className="stroke-zinc-100" />
      {node.inputs.map((port, i) => (
        <g key={`in-${port}`}>
          <circle cx={node.x} cy={portY(node, i)} r={4} className="fill-white stroke-zinc-400" strokeWidth={1.5} />
          <text x={node.x + 10} y={portY(node, i) + 4} className="fill-zinc-600 text-[11px]">
            {port}
          </text>
        </g>
      ))}
      {node.outputs.map((port, i) => (
        <g key={`out-${port}`}>
          <circle cx={node.x + node.width} cy={portY(node, i)} r={4} className="fill-accent-500 stroke-white" strokeWidth={1.5} />
          <text x={node.x + node.width - 10} y={portY(node, i) + 4} textAnchor="end" className="fill-zinc-600 text-[11px]">
            {port}
          </text>
        </g>
      ))}
    </g>
  )
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
