import { TimeAgo } from '@/app/_components/time-ago'
import type { DateLike } from '@/app/_components/format'

export interface VersionSummary {
  id: string
  version: number
  message: string | null
  createdAt: DateLike
}

export function VersionsList({ versions, head }: { versions: VersionSummary[]; head: number }) {
  return (
    <ol className="card divide-y divide-zinc-100">
      {versions.map((v) => (
        <li key={v.id} className="flex items-start gap-3 px-4 py-2.5 text-sm">
          <span className="mt-0.5 rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700">v{v.version}</span>
          <div className="min-w-0 flex-1">
            <p className={v.message ? 'truncate text-zinc-800' : 'text-zinc-400 italic'} title={v.message ?? undefined}>
              {v.message ?? (v.version === 1 ? 'First version' : 'No message')}
            </p>
            <TimeAgo date={v.createdAt} className="text-xs text-zinc-500" />
          </div>
          {v.version === head ? (
            <span className="rounded-full bg-accent-50 px-2 py-0.5 text-xs font-medium text-accent-700">head</span>
          ) : null}
        </li>
      ))}
    </ol>
  )
}
