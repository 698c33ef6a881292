// Lines over a shared x axis (epochs, rounds), drawn with visx: the charting library Pipewright's
// model pages use. Fixed size, so it renders on the server and re-renders live as points arrive.
import { AxisBottom, AxisLeft } from '@visx/axis'
import { GridRows } from '@visx/grid'
import { Group } from '@visx/group'
import { scaleLinear } from '@visx/scale'
import { LinePath } from '@visx/shape'

export interface Series {
  name: string
  points: readonly { x: number; y: number }[]
  /** a CSS colour */
  colour: string
  dashed?: boolean
}

const margin = { top: 12, right: 16, bottom: 32, left: 48 }

export interface LineChartProps {
  series: readonly Series[]
  width: number
  height: number
  xLabel: string
  yLabel?: string
  testId?: string
  /** fixed axes (a ROC curve lives in [0, 1] × [0, 1]); otherwise they fit the points */
  xDomain?: [number, number]
  yDomain?: [number, number]
}

export function LineChart({ series, width, height, xLabel, yLabel, testId, xDomain, yDomain }: LineChartProps) {
  const all = series.flatMap((s) => s.points)
  if (all.length === 0) return null
  const innerWidth = width - margin.left - margin.right
  const innerHeight = height - margin.top - margin.bottom
  const xs = all.map((p) => p.x)
  const ys = all.map((p) => p.y)
  const x = scaleLinear({ domain: xDomain ?? [Math.min(...xs), Math.max(Math.max(...xs), Math.min(...xs) + 1)], range: [0, innerWidth] })
  const [low, high] = [Math.min(...ys), Math.max(...ys)]
  const pad = (high - low) * 0.05 || Math.abs(high) * 0.05 || 1
  const y = scaleLinear({ domain: yDomain ?? [low - pad, high + pad], range: [innerHeight, 0], nice: !yDomain })
  return (
    <figure className="m-0" data-testid={testId}>
      <svg width={width} height={height} role="img" aria-label={`${series.map((s) => s.name).join(', ')} by ${xLabel}`}>
        <Group left={margin.left} top={margin.top}>
          <GridRows scale={y} width={innerWidth} numTicks={4} className="stroke-zinc-200 dark:stroke-zinc-700" />
          {series.map((s) => (
            <LinePath
              key={s.name}
              data={[...s.points]}
              x={(p) => x(p.x)}
              y={(p) => y(p.y)}
              stroke={s.colour}
              strokeWidth={2}
              strokeDasharray={s.dashed ? '4 3' : undefined}
              data-series={s.name}
            />
          ))}
          <AxisLeft scale={y} numTicks={4} tickLabelProps={{ className: 'fill-zinc-500 text-[10px]' }} stroke="currentColor" tickStroke="currentColor" label={yLabel} />
          <AxisBottom top={innerHeight} scale={x} numTicks={6} tickFormat={(v) => String(Number(Number(v).toPrecision(4)))} tickLabelProps={{ className: 'fill-zinc-500 text-[10px]' }} stroke="currentColor" tickStroke="currentColor" />
        </Group>
      </svg>
      <figcaption className="flex flex-wrap gap-3 pl-12 text-xs text-zinc-600 dark:text-zinc-300">
        {series.map((s) => (
          <span key={s.name} className="inline-flex items-center gap-1">
            <svg width="16" height="4" aria-hidden>
              <line x1="0" y1="2" x2="16" y2="2" stroke={s.colour} strokeWidth="2" strokeDasharray={s.dashed ? '4 3' : undefined} />
            </svg>
            {s.name}
          </span>
        ))}
        <span className="text-zinc-400">by {xLabel}</span>
      </figcaption>
    </figure>
  )
}
