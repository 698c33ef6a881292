import clsx from 'clsx'
import { formatNumber, formatPercent } from '@/app/_components/format'
import type { ColumnProfile } from '@/nodes/_lib/parquet'
import { TableHead } from '@/app/_components/table-head'

/** Per column: type, nulls (with a bar), distinct values, and min / max / mean where numeric. */
export function ColumnStats({ columns }: { columns: ColumnProfile[] }) {
  if (columns.length === 0) return null
  return (
    <div className="overflow-x-auto" data-testid="column-stats">
      <table className="min-w-full text-sm">
        <TableHead density="compact" cells={[{ label: 'Column' }, { label: 'Type' }, { label: 'Nulls' }, { label: 'Distinct', align: 'right' }, { label: 'Min', align: 'right' }, { label: 'Max', align: 'right' }, { label: 'Mean', align: 'right' }, { label: 'Distribution' }]} />
        <tbody className="divide-y divide-zinc-100">
          {columns.map((column) => (
            <tr key={column.name} className="align-middle">
              <td className="px-3 py-2 font-medium whitespace-pre text-zinc-800">{column.name}</td>
              <td className="px-3 py-2 font-mono text-xs whitespace-nowrap text-zinc-500">{column.type}</td>
              <td className="px-3 py-2">
                <NullBar nulls={column.nulls} fraction={column.nullFraction} />
              </td>
              <td className="px-3 py-2 text-right tabular-nums text-zinc-700">{formatNumber(column.distinct, 0)}</td>
              <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums text-zinc-700">{extreme(column.min)}</td>
              <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums text-zinc-700">{extreme(column.max)}</td>
              <td className="px-3 py-2 text-right tabular-nums text-zinc-700">
                {column.mean === null ? <span className="text-zinc-300">—</span> : formatNumber(column.mean, 3, false)}
              </td>
              <td className="px-3 py-2">
                {column.histogram ? (
                  <Histogram counts={column.histogram.counts} />
                ) : column.topValues && column.topValues.length > 0 ? (
                  <TopValues values={column.topValues} total={column.count} />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function extreme(value: number | string | boolean | null) {
  if (value === null) return <span className="text-zinc-300">—</span>
  if (typeof value === 'number') return formatNumber(value, 4, false)
  const text = String(value)
  return <span title={text}>{text.length > 18 ? `${text.slice(0, 17)}…` : text}</span>
}

function NullBar({ nulls, fraction }: { nulls: number; fraction: number }) {
  return (
    <div className="flex items-center gap-2" title={`${nulls} nulls (${formatPercent(fraction)})`}>
      <div className="h-1.5 w-16 overflow-hidden rounded-full bg-zinc-100">
        <div className={clsx('h-full rounded-full', fraction > 0.2 ? 'bg-amber-500' : 'bg-zinc-400')} style={{ width: `${Math.max(fraction > 0 ? 3 : 0, fraction * 100)}%` }} />
      </div>
      <span className={clsx('text-xs whitespace-nowrap tabular-nums', nulls > 0 ? 'text-zinc-700' : 'text-zinc-400')}>
        {formatNumber(nulls, 0)} <span className="text-zinc-400">({formatPercent(fraction, fraction > 0 && fraction < 0.01 ? 2 : 0)})</span>
      </span>
    </div>
  )
}

function Histogram({ counts }: { counts: number[] }) {
  const max = Math.max(1, ...counts)
  const width = 96
  const height = 20
  const bar = width / Math.max(1, counts.length)
  return (
    <svg width={width} height={height} className="block" aria-label="Histogram">
      {counts.map((count, i) => {
        const h = count === 0 ? 0 : Math.max(1.5, (count / max) * height)
        return <rect key={i} x={i * bar + 0.5} y={height - h} width={Math.max(1, bar - 1)} height={h} className="fill-accent-500/70" />
      })}
    </svg>
  )
}

function TopValues({ values, total }: { values: { value: unknown; count: number }[]; total: number }) {
  return (
    <div className="flex max-w-64 flex-wrap gap-1 text-xs">
      {values.slice(0, 3).map((entry, i) => (
        <span key={i} className="rounded bg-zinc-100 px-1.5 py-0.5 whitespace-nowrap text-zinc-700" title={`${entry.count} rows`}>
          {String(entry.value)} <span className="text-zinc-400">{total > 0 ? formatPercent(entry.count / total, 0) : entry.count}</span>
        </span>
      ))}
      {values.length > 3 ? <span className="text-zinc-400">+{values.length - 3}</span> : null}
    </div>
  )
}
