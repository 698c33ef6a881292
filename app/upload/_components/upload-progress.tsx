import { formatBytes } from '@/app/_components/format'

/** Percent, bytes sent of total, and the average speed so far. */
export function UploadProgress({ loaded, total, startedAt, now }: { loaded: number; total: number; startedAt: number; now: number }) {
  const fraction = total > 0 ? Math.min(1, loaded / total) : 0
  const pct = Math.round(fraction * 100)
  const seconds = (now - startedAt) / 1000
  const speed = seconds > 0.05 ? loaded / seconds : null
  const remaining = speed && speed > 0 ? (total - loaded) / speed : null
  return (
    <div className="card p-4">
      <div className="mb-2 flex items-baseline justify-between text-sm">
        <span className="font-medium text-zinc-800">{pct === 100 ? 'Storing…' : 'Uploading…'}</span>
        <span className="font-semibold text-zinc-900 tabular-nums">{pct}%</span>
      </div>
      <div
        className="h-2 overflow-hidden rounded-full bg-zinc-100"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        data-testid="upload-progress"
      >
        <div className="h-full rounded-full bg-accent-600 transition-[width] duration-150" style={{ width: `${pct}%` }} />
      </div>
      <div className="mt-2 flex justify-between text-xs text-zinc-500 tabular-nums">
        <span>
          {formatBytes(loaded)} of {formatBytes(total)}
        </span>
        <span>
          {speed ? `${formatBytes(speed)}/s` : '—'}
          {remaining !== null && remaining > 1 ? ` · ${Math.ceil(remaining)} s left` : ''}
        </span>
      </div>
    </div>
  )
}
