// Two versions' metrics as paired bars, one row per metric, each row on its own scale: a loss of 0.3
// and an accuracy of 0.9 share no axis, and what a reader compares is the two bars of one metric.
import { Group } from '@visx/group'
import { scaleLinear } from '@visx/scale'
import { Bar, Line } from '@visx/shape'
import { formatMetric, metricLabel } from '../../_components/metrics'

export interface ComparedMetric {
  name: string
  a: number
  b: number
}

const rowHeight = 34
const barHeight = 11
const labelWidth = 120
const valueWidth = 56
export const colours = { a: '#a1a1aa', b: '#6366f1' } as const

export function CompareChart({ metrics, a, b, width = 460 }: { metrics: readonly ComparedMetric[]; a: number; b: number; width?: number }) {
  if (metrics.length === 0) return null
  const inner = width - labelWidth - valueWidth
  const height = metrics.length * rowHeight + 8
  return (
    <figure className="m-0" data-testid="compare-chart">
      <svg width={width} height={height} role="img" aria-label={`Metrics of version ${a} and version ${b}`}>
        {metrics.map((m, row) => {
          const low = Math.min(0, m.a, m.b)
          const high = Math.max(0, m.a, m.b) || 1
          const x = scaleLinear({ domain: [low, high], range: [0, inner] })
          const bar = (value: number, offset: number, fill: string, which: string) => (
            <Bar x={Math.min(x(0), x(value))} y={offset} width={Math.max(1, Math.abs(x(value) - x(0)))} height={barHeight} fill={fill} rx={2} data-version={which} />
          )
          return (
            <Group key={m.name} top={row * rowHeight + 4} data-metric={m.name}>
              <text x={labelWidth - 8} y={rowHeight / 2 - 2} textAnchor="end" dominantBaseline="middle" className="fill-zinc-600 text-[11px]">
                {metricLabel(m.name)}
              </text>
              <Group left={labelWidth}>
                {bar(m.a, 2, colours.a, 'a')}
                {bar(m.b, 2 + barHeight + 2, colours.b, 'b')}
                {low < 0 ? <Line from={{ x: x(0), y: 0 }} to={{ x: x(0), y: rowHeight - 6 }} stroke="#71717a" strokeWidth={1} /> : null}
                <text x={inner + 6} y={2 + barHeight / 2} dominantBaseline="middle" className="fill-zinc-500 text-[10px] tabular-nums">
                  {formatMetric(m.a)}
                </text>
                <text x={inner + 6} y={4 + barHeight * 1.5} dominantBaseline="middle" className="fill-indigo-700 text-[10px] tabular-nums">
                  {formatMetric(m.b)}
                </text>
              </Group>
            </Group>
          )
        })}
      </svg>
      <figcaption className="flex gap-4 text-xs text-zinc-600" style={{ paddingLeft: labelWidth }}>
        <Legend colour={colours.a} label={`v${a}`} />
        <Legend colour={colours.b} label={`v${b}`} />
        <span className="text-zinc-400">each metric on its own scale</span>
      </figcaption>
    </figure>
  )
}

function Legend({ colour, label }: { colour: string; label: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      <svg width="10" height="10" aria-hidden>
        <rect width="10" height="10" rx="2" fill={colour} />
      </svg>
      <span className="font-mono">{label}</span>
    </span>
  )
}
