import Link from 'next/link'
import { useCaseStatuses, type BubbleSize } from '@/server/use-cases/model'
import { statusColors } from './status-colors'
import type { BoardItem } from './types'

const width = 640
const height = 380
const pad = { left: 52, right: 16, top: 16, bottom: 44 }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Impact (severity) against total cost, cost on a log scale; lines at the medians split the
 * board into quick wins, big bets, fill-ins and money pits. Bubble size is confidence or cost (by
 * area), colour the status; each bubble opens its use case.
 */
export function QuadrantChart({ items, sizeBy }: { items: BoardItem[]; sizeBy: BubbleSize }) {
  const placed = items.filter((i) => i.severity !== null && i.tco !== null && i.tco > 0)
  const left = items.filter((i) => !placed.includes(i))
  if (placed.length === 0) return <p className="text-sm text-zinc-500">Rate the use cases and estimate their costs to see them on the chart.</p>
  const logs = placed.map((i) => Math.log10(i.tco!))
  const [lo, hi] = [Math.min(...logs) - 0.2, Math.max(...logs) + 0.2]
  const x = (tco: number) => pad.left + ((Math.log10(tco) - lo) / (hi - lo)) * (width - pad.left - pad.right)
  const y = (severity: number) => pad.top + ((10 - severity) / 9) * (height - pad.top - pad.bottom)
  const midX = x(10 ** median(logs))
  const midY = y(median(placed.map((i) => i.severity!)))
  const maxTco = Math.max(...placed.map((i) => i.tco!))
  // area, not radius, grows with the value, so a bubble twice the cost looks twice as big
  const radius = (item: BoardItem) => 5 + 13 * Math.sqrt(sizeBy === 'cost' ? item.tco! / maxTco : item.confidence / 100)
  const ticks = Array.from({ length: Math.floor(hi) - Math.ceil(lo) + 1 }, (_, k) => 10 ** (Math.ceil(lo) + k))

  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height}`} className="w-full overflow-visible" role="img" aria-label="Impact against cost: each use case as a bubble">
        <rect x={pad.left} y={pad.top} width={width - pad.left - pad.right} height={height - pad.top - pad.bottom} fill="#fafafa" stroke="#e4e4e7" />
        <line x1={midX} x2={midX} y1={pad.top} y2={height - pad.bottom} stroke="#d4d4d8" strokeDasharray="4 4" />
        <line x1={pad.left} x2={width - pad.right} y1={midY} y2={midY} stroke="#d4d4d8" strokeDasharray="4 4" />
        {[
          ['Quick wins', pad.left + 8, pad.top + 16, 'start'],
          ['Big bets', width - pad.right - 8, pad.top + 16, 'end'],
          ['Fill-ins', pad.left + 8, height - pad.bottom - 8, 'start'],
          ['Money pits', width - pad.right - 8, height - pad.bottom - 8, 'end'],
        ].map(([label, lx, ly, anchor]) => (
          <text key={label as string} x={lx as number} y={ly as number} textAnchor={anchor as 'start' | 'end'} className="fill-zinc-400 text-[11px] font-semibold uppercase">
            {label}
          </text>
        ))}
        {ticks.map((t) => (
          <text key={t} x={x(t)} y={height - pad.bottom + 16} textAnchor="middle" className="fill-zinc-500 text-[10px]">
            {t >= 1e6 ? `${t / 1e6} M` : t >= 1e3 ? `${t / 1e3} k` : t}
          </text>
        ))}
        <text x={(width + pad.left) / 2} y={height - 6} textAnchor="middle" className="fill-zinc-600 text-[11px]">total cost of ownership (log scale)</text>
        {[1, 4, 7, 10].map((s) => (
          <text key={s} x={pad.left - 8} y={y(s) + 4} textAnchor="end" className="fill-zinc-500 text-[10px]">{s}</text>
        ))}
        <text transform={`translate(14 ${(height - pad.bottom + pad.top) / 2}) rotate(-90)`} textAnchor="middle" className="fill-zinc-600 text-[11px]">severity</text>
        {placed.map((item) => (
          <Link key={item.id} href={`/use-cases/${item.id}`} data-testid={`bubble-${item.id}`} aria-label={`${item.title}: severity ${item.severity}, cost ${Math.round(item.tco!)}`}>
            <circle cx={x(item.tco!)} cy={y(item.severity!)} r={radius(item)} fill={statusColors[item.status].fill} fillOpacity={0.75} stroke="#fff" strokeWidth={1.5}>
              <title>{`${item.title} — severity ${item.severity}, TCO ${Math.round(item.tco!).toLocaleString('en')} ${item.currency}, confidence ${item.confidence} %`}</title>
            </circle>
          </Link>
        ))}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-3 text-xs text-zinc-600">
        {useCaseStatuses.map((s) => (
          <span key={s} className="flex items-center gap-1">
            <span className="size-2.5 rounded-full" style={{ background: statusColors[s].fill }} aria-hidden /> {s}
          </span>
        ))}
        <span>· bubble size = {sizeBy === 'cost' ? 'total cost of ownership' : 'confidence in the estimates'}</span>
        {left.length > 0 ? <span>· not on the chart (severity or cost unknown): {left.map((i) => i.title).join(', ')}</span> : null}
      </figcaption>
    </figure>
  )
}
