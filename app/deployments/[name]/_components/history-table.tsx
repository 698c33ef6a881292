import Link from 'next/link'
import { shortId } from '@/app/_components/format'
import { DateTime, TimeAgo } from '@/app/_components/time-ago'
import { TableHead } from '@/app/_components/table-head'
import { historyWords, runOfActor } from './history-words'

export interface HistoryEntry {
  action: string
  detail: Record<string, unknown>
  by: string
  at: Date
}

/** Who changed the deployment, when, and what they did: newest first. */
export function HistoryTable({ history }: { history: readonly HistoryEntry[] }) {
  return (
    <div className="card overflow-hidden">
      <table className="w-full text-sm" data-testid="rollout-history">
        <TableHead density="compact" cells={[{ label: 'When', className: 'w-40' }, { label: 'Who', className: 'w-44' }, { label: 'What' }]} />
        <tbody className="divide-y divide-zinc-100">
          {history.map((entry, index) => (
            <tr key={index} data-testid="history-row" data-action={entry.action}>
              <td className="px-3 py-2 align-top text-zinc-500">
                <TimeAgo date={entry.at} /> <DateTime date={entry.at} className="block text-xs text-zinc-400" />
              </td>
              <td className="px-3 py-2 align-top break-all text-zinc-700">
                <Who by={entry.by} />
              </td>
              <td className="px-3 py-2 align-top text-zinc-800">{historyWords(entry.action, entry.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A person by their email; a pipeline run by its short id, linked to the run that made the change. */
function Who({ by }: { by: string }) {
  const runId = runOfActor(by)
  if (!runId) return <>{by}</>
  return (
    <Link href={`/runs/${runId}`} className="link" title={`Pipeline run ${runId}`}>
      run <span className="font-mono">{shortId(runId)}</span>
    </Link>
  )
}
