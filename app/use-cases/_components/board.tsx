'use client'
import { clsx } from 'clsx'
import { useMemo, useState } from 'react'
import { useCaseStatuses, type BubbleSize, type RankingStrategy, type ScoringMethod } from '@/server/use-cases/model'
import { methodLabels } from './board-settings'
import { BoardTable } from './board-table'
import { QuadrantChart } from './quadrant-chart'
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
        <BoardTable key={strategy} rows={rows} strategy={strategy} method={method} />
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
