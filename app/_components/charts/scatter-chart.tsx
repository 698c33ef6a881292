// Points on two axes with a reference line at y = 0: residuals against predictions.
import { AxisBottom, AxisLeft } from '@visx/axis'
import { GridRows } from '@visx/grid'
import { Group } from '@visx/group'
import { scaleLinear } from '@visx/scale'

const margin = { top: 12, right: 16, bottom: 36, left: 52 }

export function ScatterChart({ x: xs, y: ys, width = 420, height = 240, xLabel, yLabel, testId }: { x: readonly number[]; y: readonly number[]; width?: number; height?: number; xLabel: string; yLabel: string; testId?: string }) {
  if (xs.length === 0) return null
  const innerWidth = width - margin.left - margin.right
  const innerHeight = height - margin.top - margin.bottom
  const spread = (values: readonly number[]): [number, number] => {
    const [low, high] = [Math.min(...values), Math.max(...values)]
    const pad = (high - low) * 0.05 || 1
    return [low - pad, high + pad]
  }
  const x = scaleLinear({ domain: spread(xs), range: [0, innerWidth], nice: true })
  const yExtent = Math.max(...ys.map(Math.abs), 1e-9)
  const y = scaleLinear({ domain: [-yExtent * 1.05, yExtent * 1.05], range: [innerHeight, 0], nice: true })
  const tick = (v: unknown) => String(Number(Number(v).toPrecision(3)))
  return (
    <figure className="m-0" data-testid={testId}>
      <svg width={width} height={height} role="img" aria-label={`${yLabel} against ${xLabel}, ${xs.length} points`}>
        <Group left={margin.left} top={margin.top}>
          <GridRows scale={y} width={innerWidth} numTicks={4} className="stroke-zinc-200" />
          <line x1={0} x2={innerWidth} y1={y(0)} y2={y(0)} className="stroke-zinc-500" strokeDasharray="4 3" />
          {xs.map((value, i) => (
            <circle key={i} cx={x(value)} cy={y(ys[i]!)} r={2} className="fill-indigo-500" fillOpacity={0.45} />
          ))}
          <AxisLeft scale={y} numTicks={4} tickFormat={tick} tickLabelProps={{ className: 'fill-zinc-500 text-[10px]' }} stroke="currentColor" tickStroke="currentColor" />
          <AxisBottom top={innerHeight} scale={x} numTicks={6} tickFormat={tick} tickLabelProps={{ className: 'fill-zinc-500 text-[10px]' }} stroke="currentColor" tickStroke="currentColor" />
          <text x={innerWidth / 2} y={innerHeight + 32} textAnchor="middle" className="fill-zinc-500 text-[11px]">
            {xLabel}
          </text>
        </Group>
      </svg>
      <figcaption className="pl-12 text-xs text-zinc-500">{yLabel} (truth − prediction) by {xLabel}</figcaption>
    </figure>
  )
}
