import clsx from 'clsx'

export type Status = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'canceled' | 'skipped'

const styles: Record<Status | 'cached', { badge: string; dot: string; label: string }> = {
  queued: { badge: 'bg-zinc-100 text-zinc-700 ring-zinc-300', dot: 'bg-zinc-400', label: 'Queued' },
  running: { badge: 'bg-blue-50 text-blue-700 ring-blue-200', dot: 'bg-blue-500 animate-pulse', label: 'Running' },
  waiting: { badge: 'bg-amber-50 text-amber-800 ring-amber-200', dot: 'bg-amber-500', label: 'Waiting' },
  succeeded: { badge: 'bg-green-50 text-green-700 ring-green-200', dot: 'bg-green-500', label: 'Succeeded' },
  cached: { badge: 'bg-teal-50 text-teal-700 ring-teal-200', dot: 'bg-teal-500', label: 'Cached' },
  failed: { badge: 'bg-red-50 text-red-700 ring-red-200', dot: 'bg-red-500', label: 'Failed' },
  canceled: { badge: 'bg-zinc-50 text-zinc-500 ring-zinc-200', dot: 'bg-zinc-300', label: 'Canceled' },
  skipped: { badge: 'bg-zinc-50 text-zinc-500 ring-zinc-200', dot: 'bg-zinc-300', label: 'Skipped' },
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && value in styles && value !== 'cached'
}

/** A run's or step's state; a step answered from the cache shows as "Cached" in teal. */
export function StatusBadge({
  status,
  cached = false,
  className,
  testId,
}: {
  status: string | null | undefined
  cached?: boolean
  className?: string
  testId?: string
}) {
  if (!status) return <span className="text-sm text-zinc-400">never run</span>
  const key = cached && status === 'succeeded' ? 'cached' : isStatus(status) ? status : 'queued'
  const style = styles[key]
  return (
    <span
      data-testid={testId}
      className={clsx(
        'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset',
        style.badge,
        className,
      )}
      title={key === 'cached' ? 'Answered from the step cache: not run again' : style.label}
    >
      <span className={clsx('size-1.5 shrink-0 rounded-full', style.dot)} aria-hidden />
      {key === 'cached' ? 'cached' : status}
    </span>
  )
}

/** True while a run or step may still change. */
export function isActiveStatus(status: string): boolean {
  return status === 'queued' || status === 'running' || status === 'waiting'
}
