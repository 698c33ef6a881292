// Horizontal bars, one per item (a segment, a class), with the value printed at the bar's end.
import { scaleLinear } from '@visx/scale'

export interface Bar {
  label: string
  value: number | null
  /** drawn muted: a segment too small to count */
  muted?: boolean
  note?: string
}

const rowHeight = 22
const labelWidth = 120
const valueWidth = 56

export function BarChart({ bars, width = 420, domain, testId, format = (v) => String(Number(v.toPrecision(3))) }: { bars: readonly Bar[]; width?: number; domain?: [number, number]; testId?: string; format?: (value: number) => string }) {
  const values = bars.flatMap((b) => (b.value === null ? [] : [b.value]))
  const [low, high] = domain ?? [Math.min(0, ...values), Math.max(1e-9, ...values)]
  const x = scaleLinear({ domain: [low, high], range: [0, width - labelWidth - valueWidth] })
  return (
    <svg width={width} height={bars.length * rowHeight + 4} role="img" aria-label={bars.map((b) => `${b.label} ${b.value ?? 'none'}`).join(', ')} data-testid={testId}>
      {bars.map((bar, i) => (
        <g key={`${bar.label}-${i}`} transform={`translate(0, ${i * rowHeight})`} data-bar={bar.label}>
          <text x={labelWidth - 6} y={15} textAnchor="end" className={`text-[11px] ${bar.muted ? 'fill-zinc-400' : 'fill-zinc-700'}`}>
            {bar.label.length > 18 ? `${bar.label.slice(0, 17)}…` : bar.label || '(empty)'}
          </text>
          <rect x={labelWidth + x(Math.min(0, bar.value ?? 0))} y={4} width={Math.max(1, Math.abs(x(bar.value ?? 0) - x(0)))} height={rowHeight - 8} rx={2} className={bar.muted ? 'fill-zinc-300' : 'fill-indigo-500'}>
            {bar.note ? <title>{bar.note}</title> : null}
          </rect>
          <text x={width - valueWidth + 4} y={15} className="fill-zinc-600 text-[11px] tabular-nums">
            {bar.value === null ? '—' : format(bar.value)}
          </text>
        </g>
      ))}
    </svg>
  )
}
