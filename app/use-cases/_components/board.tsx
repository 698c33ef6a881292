'use client'
import { clsx } from 'clsx'
import Link from 'next/link'
import { useMemo, useState } from 'react'
import { useCaseStatuses, type BubbleSize, type RankingStrategy, type ScoringMethod } from '@/server/use-cases/model'
import { methodLabels } from './board-settings'
import { QuadrantChart } from './quadrant-chart'
import { StatusPill } from './status-colors'
import type { BoardItem } from './types'

function strategies(method: ScoringMethod): { value: RankingStrategy; label: string; hint: string }[] {
  const score = methodLabels[method]
  return [
    { value: 'pain', label: 'Biggest pain first', hint: `by severity, then ${score.inSentence}` },
    { value: 'quick-win', label: 'Quickest win', hint: `by ${score.inSentence}: ${score.formula}` },
  ]
}

function Toggle<T extends string>({ label, value, options, onChange, testId }: { label: string; value: T; options: { value: T; label: string; hint?: string }[]; onChange: (v: T) => void; testId: string }) {
  return (
    <div className="inline-flex rounded-md border border-zinc-300 bg-white p-0.5" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={value === o.value}
          title={o.hint}
          data-testid={`${testId}-${o.value}`}
          onClick={() => onChange(o.value)}
          className={clsx('rounded px-3 py-1 text-sm font-medium', value === o.value ? 'bg-accent-600 text-white' : 'text-zinc-700 hover:bg-zinc-50')}
        >
          {o.label}
        </button>
      ))}
    </div>
  )
}

const threeDigits = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 })

/** 1,500,000 and 0.025 rather than 1.50e+6: three significant digits, never an exponent. */
function formatScore(score: number | null): string {
  if (score === null) return '—'
  return score >= 100 ? threeDigits.format(Math.round(score)) : threeDigits.format(score)
}

function money(value: number | null, currency: string): string {
  return value === null ? 'unknown' : `${Math.round(value).toLocaleString('en')} ${currency}`
}

/** The ranked table and the quadrant chart, with the ranking strategy and a status filter. */
export function UseCaseBoard({ items, method }: { items: BoardItem[]; method: ScoringMethod }) {
  const [strategy, setStrategy] = useState<RankingStrategy>('pain')
  const [bubbleSize, setBubbleSize] = useState<BubbleSize>('confidence')
  const options = strategies(method)
  const [status, setStatus] = useState<string>('')
  const [query, setQuery] = useState('')
  const rows = useMemo(
    () =>
      items
        .filter((i) => (!status || i.status === status) && i.title.toLowerCase().includes(query.toLowerCase()))
        .sort((a, b) => a.rank[strategy] - b.rank[strategy] || a.title.localeCompare(b.title)),
    [items, strategy, status, query],
  )
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <Toggle label="Ranking" value={strategy} options={options} onChange={setStrategy} testId="strategy" />
        <label className="text-sm text-zinc-600">
          <span className="sr-only">Status</span>
          <select className="input py-1" value={status} onChange={(e) => setStatus(e.target.value)} aria-label="Filter by status">
            <option value="">every status</option>
            {useCaseStatuses.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </label>
        <input className="input w-56 py-1" placeholder="Search titles…" aria-label="Search titles" value={query} onChange={(e) => setQuery(e.target.value)} />
        <span className="text-xs text-zinc-500">{options.find((s) => s.value === strategy)!.hint}</span>
      </div>
      <div className="grid gap-6 xl:grid-cols-5">
        <div className="card overflow-x-auto xl:col-span-3">
          <table className="w-full text-sm">
            <thead className="bg-zinc-50 text-left text-xs text-zinc-500 uppercase">
              <tr>
                <th className="px-3 py-2">#</th>
                <th className="px-3 py-2">Use case</th>
                <th className="px-3 py-2">Severity</th>
                <th className="px-3 py-2">Total cost</th>
                <th className="px-3 py-2">{methodLabels[method].label}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {rows.map((item) => (
                <tr key={item.id} data-testid="use-case-row" data-id={item.id}>
                  <td className="px-3 py-2 font-mono text-xs text-zinc-500">{item.rank[strategy]}</td>
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
        <div className="card self-start p-4 xl:sticky xl:top-4 xl:col-span-2">
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <h2 className="text-sm font-semibold text-zinc-900">Impact against cost</h2>
            <label className="flex items-center gap-2 text-xs text-zinc-600">
              bubble size
              <Toggle label="Bubble size" value={bubbleSize} options={[{ value: 'confidence', label: 'confidence' }, { value: 'cost', label: 'cost' }]} onChange={setBubbleSize} testId="bubble-size" />
            </label>
          </div>
          <QuadrantChart items={rows} sizeBy={bubbleSize} />
        </div>
      </div>
    </div>
  )
}
