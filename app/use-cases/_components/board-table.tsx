'use client'
import { clsx } from 'clsx'
import { ArrowDown, ArrowUp } from 'lucide-react'
import Link from 'next/link'
import { useState } from 'react'
import type { RankingStrategy, ScoringMethod } from '@/server/use-cases/model'
import { methodLabels } from './board-settings'
import { StatusPill } from './status-colors'
import type { BoardItem } from './types'

type SortKey = RankingStrategy | 'title' | 'severity' | 'tco' | 'score'
type Sort = { key: SortKey; descending: boolean }

const threeDigits = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 })

/** 1,500,000 and 0.025 rather than 1.50e+6: three significant digits, never an exponent. */
function formatScore(score: number | null): string {
  if (score === null) return '—'
  return score >= 100 ? threeDigits.format(Math.round(score)) : threeDigits.format(score)
}

function money(value: number | null, currency: string): string {
  return value === null ? 'unknown' : `${Math.round(value).toLocaleString('en')} ${currency}`
}

/** Unknown values sort last whichever way the column is sorted. */
function compare(a: BoardItem, b: BoardItem, { key, descending }: Sort): number {
  if (key === 'title') return (descending ? -1 : 1) * a.title.localeCompare(b.title)
  const value = (item: BoardItem) => (key === 'pain' || key === 'quick-win' ? item.rank[key] : item[key])
  const [x, y] = [value(a), value(b)]
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1
  return (descending ? y - x : x - y) || a.title.localeCompare(b.title)
}

/**
 * The use cases with their rank under both strategies side by side, in the chosen strategy's
 * order; a click on a column header sorts by it, a second click reverses.
 */
export function BoardTable({ rows, strategy, method }: { rows: BoardItem[]; strategy: RankingStrategy; method: ScoringMethod }) {
  const [sort, setSort] = useState<Sort>({ key: strategy, descending: false })
  const sorted = [...rows].sort((a, b) => compare(a, b, sort))
  const header = (key: SortKey, label: string, firstDescending = false, title?: string) => {
    const active = sort.key === key
    const Arrow = sort.descending ? ArrowDown : ArrowUp
    return (
      <th className={clsx('px-3 py-2', key === strategy && 'bg-accent-50 text-accent-700')} title={title} aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          className="inline-flex items-center gap-1 uppercase hover:text-zinc-800"
          data-testid={`sort-${key}`}
          onClick={() => setSort(active ? { key, descending: !sort.descending } : { key, descending: firstDescending })}
        >
          {label}
          {active ? <Arrow className="size-3" aria-hidden /> : null}
        </button>
      </th>
    )
  }
  return (
    <div className="card overflow-x-auto xl:col-span-3">
      <table className="w-full text-sm">
        <thead className="bg-zinc-50 text-left text-xs text-zinc-500">
          <tr>
            {header('pain', 'Pain #', false, 'rank by biggest pain first')}
            {header('quick-win', 'Win #', false, 'rank by quickest win')}
            {header('title', 'Use case')}
            {header('severity', 'Severity', true)}
            {header('tco', 'Total cost')}
            {header('score', methodLabels[method].label, true)}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {sorted.map((item) => (
            <tr key={item.id} data-testid="use-case-row" data-id={item.id}>
              {(['pain', 'quick-win'] as const).map((s) => (
                <td key={s} className={clsx('px-3 py-2 font-mono text-xs', s === strategy ? 'bg-accent-50/60 font-semibold text-accent-700' : 'text-zinc-500')} data-testid={`rank-${s}`}>
                  {item.rank[s]}
                </td>
              ))}
              <td className="px-3 py-2">
                <Link href={`/use-cases/${item.id}`} className="font-medium text-zinc-900 hover:text-accent-700">{item.title}</Link>
                <div className="mt-0.5"><StatusPill status={item.status} /></div>
              </td>
              <td className="px-3 py-2 tabular-nums">
                {item.severity ?? '—'}
                <div className="text-xs text-zinc-500">
                  {item.severitySource === 'ratings' ? `median of ${item.ratings.count} (${item.ratings.min}–${item.ratings.max})` : (item.severitySource ?? 'unrated')}
                </div>
              </td>
              <td className="px-3 py-2 tabular-nums">
                {money(item.tco, item.currency)}
                {item.tcoPartial ? <div className="text-xs text-amber-700">partial</div> : null}
              </td>
              <td className="px-3 py-2 tabular-nums" title={item.explain}>
                <span className="cursor-help border-b border-dotted border-zinc-400">{formatScore(item.score)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
