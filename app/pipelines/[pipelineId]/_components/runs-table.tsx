import Link from 'next/link'
import { EmptyState } from '@/app/_components/empty-state'
import { durationBetween, formatDuration, shortId, type DateLike } from '@/app/_components/format'
import { StatusBadge } from '@/app/_components/status-badge'
import { TimeAgo } from '@/app/_components/time-ago'
import { TableHead } from '@/app/_components/table-head'

export interface RunSummary {
  id: string
  status: string
  version: number
  createdAt: DateLike
  startedAt: DateLike
  finishedAt: DateLike
  error: string | null
  /** a forced re-run: the run it re-ran and the node it started from */
  rerunOf: string | null
  rerunNodeId: string | null
}

export function RunsTable({ runs }: { runs: RunSummary[] }) {
  if (runs.length === 0) {
    return <EmptyState title="No runs yet">Start one with the Run button; its steps, logs and outputs appear here.</EmptyState>
  }
  return (
    <div className="card overflow-hidden">
      <table className="w-full text-sm">
        <TableHead cells={[{ label: 'Status' }, { label: 'Run' }, { label: 'Version' }, { label: 'Started' }, { label: 'Duration', align: 'right' }]} />
        <tbody className="divide-y divide-zinc-100">
          {runs.map((run) => (
            <tr key={run.id} className="hover:bg-zinc-50" data-testid={`run-row-${run.id}`}>
              <td className="px-4 py-2.5">
                <StatusBadge status={run.status} />
              </td>
              <td className="px-4 py-2.5">
                <Link href={`/runs/${run.id}`} className="link font-mono text-xs" title={run.error ?? run.id}>
                  {shortId(run.id)}
                </Link>
                {run.rerunOf ? (
                  <span className="ml-2 text-xs text-zinc-500" data-testid="run-row-rerun">
                    re-run of{' '}
                    <Link href={`/runs/${run.rerunOf}`} className="link font-mono">
                      {shortId(run.rerunOf)}
                    </Link>{' '}
                    from <span className="font-mono">{run.rerunNodeId}</span>
                  </span>
                ) : null}
              </td>
              <td className="px-4 py-2.5 font-mono text-xs text-zinc-600">v{run.version}</td>
              <td className="px-4 py-2.5 text-zinc-600">
                <TimeAgo date={run.startedAt ?? run.createdAt} />
              </td>
              <td className="px-4 py-2.5 text-right text-zinc-600 tabular-nums">
                {run.finishedAt ? formatDuration(durationBetween(run.startedAt ?? run.createdAt, run.finishedAt)) : run.status === 'waiting' ? 'waiting…' : run.startedAt ? 'running…' : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
