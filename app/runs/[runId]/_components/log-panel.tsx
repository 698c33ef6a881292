'use client'
import clsx from 'clsx'
import { useEffect, useMemo, useRef, useState } from 'react'
import { formatClock } from '@/app/_components/format'
import type { RunLog } from './use-run-watch'

const levelStyles: Record<string, string> = {
  debug: 'text-zinc-500',
  info: 'text-sky-300',
  warn: 'text-amber-300',
  error: 'text-red-400',
}

/** The run's log lines, newest at the bottom, following along unless the reader scrolls up. */
export function LogPanel({
  logs,
  stepNames,
  filter,
  onFilter,
  emptyText = 'No log lines yet.',
}: {
  logs: RunLog[]
  /** step id → node id */
  stepNames: Map<string, string>
  filter: string | null
  onFilter: (nodeId: string | null) => void
  /** what to say when there are no lines at all */
  emptyText?: string
}) {
  const [follow, setFollow] = useState(true)
  const scroller = useRef<HTMLDivElement>(null)
  const visible = useMemo(
    () => (filter === null ? logs : logs.filter((line) => stepNames.get(line.stepId) === filter)),
    [logs, filter, stepNames],
  )

  useEffect(() => {
    const box = scroller.current
    if (follow && box) box.scrollTop = box.scrollHeight
  }, [visible, follow])

  function onScroll() {
    const box = scroller.current
    if (!box) return
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 24
    if (atBottom !== follow) setFollow(atBottom)
  }

  return (
    <div className="card overflow-hidden" data-testid="log-panel">
      <div className="flex flex-wrap items-center gap-3 border-b border-zinc-200 px-4 py-2">
        <h2 className="text-sm font-semibold text-zinc-700">Logs</h2>
        <select
          value={filter ?? ''}
          onChange={(e) => onFilter(e.target.value || null)}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs"
          aria-label="Show logs of"
          data-testid="log-filter"
        >
          <option value="">All steps</option>
          {[...new Set(stepNames.values())].map((nodeId) => (
            <option key={nodeId} value={nodeId}>
              {nodeId}
            </option>
          ))}
        </select>
        <span className="text-xs text-zinc-500 tabular-nums">
          {visible.length} {visible.length === 1 ? 'line' : 'lines'}
        </span>
        <label className="ml-auto flex items-center gap-1.5 text-xs text-zinc-600 select-none">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} className="accent-accent-600" />
          Follow
        </label>
      </div>
      <div ref={scroller} onScroll={onScroll} className="h-80 overflow-auto bg-zinc-950 py-2 font-mono text-xs leading-5">
        {visible.length === 0 ? (
          <p className="px-4 text-zinc-500">{filter ? `No log lines from ${filter}.` : emptyText}</p>
        ) : (
          visible.map((line) => (
            <div key={line.id} className={clsx('flex gap-3 px-4 hover:bg-white/5', line.level === 'error' && 'bg-red-500/10')}>
              <span className="shrink-0 text-zinc-500 tabular-nums">{formatClock(line.at)}</span>
              <span className="w-20 shrink-0 truncate text-zinc-400" title={stepNames.get(line.stepId)}>
                {stepNames.get(line.stepId) ?? '—'}
              </span>
              <span className={clsx('w-10 shrink-0 uppercase', levelStyles[line.level] ?? 'text-zinc-300')}>{line.level}</span>
              <span className="min-w-0 whitespace-pre-wrap break-words text-zinc-100">{line.message}</span>
            </div>
          ))
        )}
      </div>
    </div>
  )
}
