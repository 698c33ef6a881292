// Where a version came from, drawn left to right: the dataset artifacts it was trained on (each
// with the step of the run that wrote it) → the training step (run, pipeline version, node) → this
// version. Plain SVG with links: small enough that a layout library would be more code than the drawing.
import { shortId } from '@/app/_components/format'
import type { LineageView } from '@/server/models/browse'

const box = { width: 224, height: 70, gap: 14 }
const column = { gap: 64 }
const colours = { dataset: '#0d9488', step: '#6366f1', model: '#d97706' } as const
const kindLabels = { dataset: 'training data', step: 'training step', model: 'model version' } as const

/** Boxes have a fixed width: a long name is cut, and its box links to where it is written in full. */
function clip(text: string, max = 32): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

interface Placed {
  x: number
  y: number
  href?: string
  title: string
  lines: string[]
  kind: keyof typeof colours
  testId: string
}

function Box({ node }: { node: Placed }) {
  const body = (
    <g transform={`translate(${node.x}, ${node.y})`} data-testid={node.testId}>
      <rect width={box.width} height={box.height} rx={8} fill="white" stroke={colours[node.kind]} strokeWidth={1.5} />
      <rect width={5} height={box.height} rx={2} fill={colours[node.kind]} />
      <text x={14} y={15} fill={colours[node.kind]} className="text-[9px] font-semibold tracking-wider uppercase">
        {kindLabels[node.kind]}
      </text>
      <text x={14} y={31} className="fill-zinc-900 text-[12px] font-medium">
        {node.title}
      </text>
      {node.lines.map((line, i) => (
        <text key={i} x={14} y={47 + i * 14} className="fill-zinc-500 font-mono text-[10.5px]">
          {line}
        </text>
      ))}
    </g>
  )
  return node.href ? (
    <a href={node.href} className="hover:opacity-80">
      {body}
    </a>
  ) : (
    body
  )
}

/** A curve from the right edge of one box to the left edge of the next, ending in an arrow head. */
function Edge({ from, to }: { from: Placed; to: Placed }) {
  const [x1, y1] = [from.x + box.width, from.y + box.height / 2]
  const [x2, y2] = [to.x - 4, to.y + box.height / 2]
  const middle = (x1 + x2) / 2
  return <path d={`M${x1},${y1} C${middle},${y1} ${middle},${y2} ${x2},${y2}`} fill="none" stroke="#a1a1aa" strokeWidth={1.5} markerEnd="url(#lineage-arrow)" />
}

export function LineageGraph({ lineage, name, version }: { lineage: LineageView; name: string; version: number }) {
  const inputs = lineage.inputs.length > 0 ? lineage.inputs : []
  const rows = Math.max(1, inputs.length)
  const height = rows * box.height + (rows - 1) * box.gap
  const middleY = (height - box.height) / 2
  const datasets: Placed[] = inputs.map((input, i) => ({
    x: 0,
    y: i * (box.height + box.gap),
    kind: 'dataset',
    title: input.producer ? clip(`${input.producer.nodeId}.${input.producer.port}`, 30) : 'a dataset',
    lines: [`artifact ${shortId(input.artifactId, 12)}`],
    href: input.producer && lineage.run ? `/runs/${lineage.runId}/steps/${encodeURIComponent(input.producer.nodeId)}?port=${encodeURIComponent(input.producer.port)}` : undefined,
    testId: 'lineage-dataset',
  }))
  const stepX = datasets.length > 0 ? box.width + column.gap : 0
  const step: Placed = {
    x: stepX,
    y: middleY,
    kind: 'step',
    title: clip(`node ${lineage.nodeId}`, 30),
    lines: [clip(`pipeline ${lineage.pipeline?.name ?? '(deleted)'} v${lineage.pipelineVersion}`), `run ${shortId(lineage.runId)}${lineage.run ? '' : ' (deleted)'}`],
    href: lineage.run ? `/runs/${lineage.runId}/steps/${encodeURIComponent(lineage.nodeId)}` : undefined,
    testId: 'lineage-step',
  }
  const model: Placed = { x: stepX + box.width + column.gap, y: middleY, kind: 'model', title: clip(`${name} v${version}`, 30), lines: ['this card'], testId: 'lineage-model' }
  const width = model.x + box.width + 2
  return (
    <figure className="m-0 overflow-x-auto" data-testid="lineage-graph">
      <svg width={width} height={height + 2} role="img" aria-label={`Lineage of ${name} version ${version}`}>
        <defs>
          <marker id="lineage-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill="#a1a1aa" />
          </marker>
        </defs>
        <g transform="translate(1, 1)">
          {datasets.map((d) => (
            <Edge key={d.y} from={d} to={step} />
          ))}
          <Edge from={step} to={model} />
          {datasets.map((d) => (
            <Box key={d.y} node={d} />
          ))}
          <Box node={step} />
          <Box node={model} />
        </g>
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-500">
        {lineage.run ? (
          <a href={`/runs/${lineage.runId}`} className="link">
            Open the run
          </a>
        ) : (
          <span>The run was deleted; its ids are kept here.</span>
        )}
        {lineage.pipeline ? (
          <a href={`/pipelines/${lineage.pipeline.id}`} className="link">
            Open the pipeline {lineage.pipeline.name}
          </a>
        ) : null}
        <span>Datasets are content-addressed: the artifact ids are the exact bytes it was trained on.</span>
      </figcaption>
    </figure>
  )
}
