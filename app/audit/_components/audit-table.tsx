import clsx from 'clsx'
import Link from 'next/link'
import { TableHead } from '@/app/_components/table-head'
import { TimeAgo } from '@/app/_components/time-ago'
import type { AuditEntry } from '@/server/audit/list'
import { actionLabel, detailsSummary, formatUtc, shortTarget, targetHref } from './describe-entry'

/** Newest first; a refused attempt stands out in red; details as one line, the full JSON on demand. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <div className="card overflow-x-auto">
      <table className="w-full text-sm">
        <TableHead density="compact" cells={[{ label: 'When' }, { label: 'Who' }, { label: 'What' }, { label: 'On' }, { label: 'Details' }]} />
        <tbody className="divide-y divide-zinc-100" data-testid="audit-entries">
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-entry" data-action={entry.action} data-outcome={entry.outcome} className="align-top">
              <td className="px-3 py-2 whitespace-nowrap">
                <div className="text-zinc-800">{formatUtc(entry.at)}</div>
                <TimeAgo date={entry.at} className="text-xs text-zinc-500" />
              </td>
              <td className="px-3 py-2">
                <div className="font-medium text-zinc-800">{entry.actor}</div>
                <div className="text-xs text-zinc-500">{entry.client}</div>
              </td>
              <td className="px-3 py-2">
                <div className="flex items-center gap-1.5">
                  <span className="text-zinc-800">{actionLabel(entry.action)}</span>
                  {entry.outcome === 'refused' ? (
                    <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-200">refused</span>
                  ) : null}
                </div>
                <code className="text-xs text-zinc-500">{entry.action}</code>
              </td>
              <td className="px-3 py-2 font-mono text-xs" title={entry.target}>
                <Target target={entry.target} />
              </td>
              <td className="max-w-md px-3 py-2">
                <Details details={entry.details} refused={entry.outcome === 'refused'} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Target({ target }: { target: string }) {
  if (!target) return <span className="text-zinc-400">—</span>
  const href = targetHref(target)
  return href ? (
    <Link href={href} className="link">
      {shortTarget(target)}
    </Link>
  ) : (
    <span className="text-zinc-700">{shortTarget(target)}</span>
  )
}

function Details({ details, refused }: { details: Record<string, unknown>; refused: boolean }) {
  const summary = detailsSummary(details)
  if (!summary) return <span className="text-zinc-400">—</span>
  return (
    <details className="group">
      <summary className={clsx('cursor-pointer list-none break-words', refused ? 'text-red-700' : 'text-zinc-600')}>
        {summary}
        <span className="ml-1 text-xs text-accent-600 group-open:hidden">show all</span>
      </summary>
      <pre className="mt-1 max-h-64 overflow-auto rounded bg-zinc-50 p-2 text-xs whitespace-pre-wrap text-zinc-700 ring-1 ring-zinc-200">
        {JSON.stringify(details, null, 2)}
      </pre>
    </details>
  )
}
