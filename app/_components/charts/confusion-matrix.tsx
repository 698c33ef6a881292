// A confusion matrix as a heatmap: rows are the true classes, columns the predicted ones; a cell's
// shade is its share of its row, so a small class's mistakes show as clearly as a large one's.
import { Group } from '@visx/group'
import { scaleBand, scaleLinear } from '@visx/scale'

const cellMin = 28
const labelWidth = 96

export function ConfusionMatrix({ labels, matrix, maxSize = 420 }: { labels: readonly string[]; matrix: readonly (readonly number[])[]; maxSize?: number }) {
  const size = Math.max(cellMin * labels.length, Math.min(maxSize, 64 * labels.length))
  const band = scaleBand({ domain: labels.map((_, i) => i), range: [0, size], padding: 0.04 })
  const shade = scaleLinear({ domain: [0, 1], range: [0.04, 0.92] })
  const rowTotals = matrix.map((row) => row.reduce((a, b) => a + b, 0))
  const cell = band.bandwidth()
  const small = cell < 40
  return (
    <figure className="m-0" data-testid="confusion-matrix">
      <svg width={labelWidth + size + 8} height={size + 56} role="img" aria-label={`Confusion matrix of ${labels.length} classes`}>
        <text x={labelWidth + size / 2} y={12} textAnchor="middle" className="fill-zinc-500 text-[11px]">
          predicted
        </text>
        <Group left={labelWidth} top={20}>
          {matrix.map((row, t) =>
            row.map((count, p) => {
              const share = rowTotals[t] ? count / rowTotals[t]! : 0
              const dark = shade(share) > 0.5
              return (
                <g key={`${t}-${p}`} transform={`translate(${band(p)}, ${band(t)})`} data-cell={`${labels[t]}→${labels[p]}`} data-count={count}>
                  <rect width={cell} height={cell} rx={3} fill={t === p ? '#059669' : '#e11d48'} fillOpacity={count === 0 ? 0.03 : shade(share)} />
                  <title>{`true ${labels[t]}, predicted ${labels[p]}: ${count} (${(share * 100).toFixed(1)}% of ${labels[t]})`}</title>
                  <text x={cell / 2} y={cell / 2 + 4} textAnchor="middle" className={`${small ? 'text-[9px]' : 'text-[12px]'} ${dark ? 'fill-white' : 'fill-zinc-800'}`}>
                    {count}
                  </text>
                </g>
              )
            }),
          )}
          {labels.map((label, i) => (
            <text key={`row-${i}`} x={-6} y={(band(i) ?? 0) + cell / 2 + 4} textAnchor="end" className="fill-zinc-700 text-[11px]">
              {clip(label)}
            </text>
          ))}
          {labels.map((label, i) => (
            <text key={`col-${i}`} x={(band(i) ?? 0) + cell / 2} y={size + 14} textAnchor="middle" className="fill-zinc-700 text-[11px]">
              {clip(label, small ? 4 : 10)}
            </text>
          ))}
        </Group>
        <text x={4} y={20 + size / 2} className="fill-zinc-500 text-[11px]">
          true
        </text>
      </svg>
    </figure>
  )
}

function clip(label: string, max = 14): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label || '(empty)'
}
