'use client'
import { formatNumber } from '@/app/_components/format'
import { TableHead } from '@/app/_components/table-head'
import { defineViews } from '../views-contract'
import { augmentReport, type AugmentReport } from './definition'

/** The report port: rows added per class (or label) and per operation. */
function Report({ report }: { port: string; report: unknown }) {
  const parsed = augmentReport.safeParse(report)
  if (!parsed.success) return <p className="text-sm text-zinc-500">This is not an augment report; its JSON is below.</p>
  const data = parsed.data
  return (
    <div className="space-y-4" data-testid="augment-report">
      <p className="text-base font-semibold text-zinc-900">
        {formatNumber(data.rowsAdded, 0)} {data.rowsAdded === 1 ? 'row' : 'rows'} added to {formatNumber(data.rowsIn, 0)}
        <span className="ml-2 text-sm font-normal text-zinc-500">
          {data.mode === 'images' ? 'images' : 'table'} · {formatNumber(data.rowsOut, 0)} rows out
        </span>
      </p>
      <ClassTable report={data} />
      <OpList ops={data.ops} />
      {data.notes.length > 0 ? (
        <ul className="list-disc space-y-1 pl-5 text-sm text-amber-900" data-testid="augment-notes">
          {data.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

function ClassTable({ report }: { report: AugmentReport }) {
  const widest = Math.max(1, ...report.classes.map((c) => c.after))
  const tabular = report.mode === 'tabular'
  return (
    <div className="card overflow-x-auto">
      <table className="min-w-full text-sm" data-testid="augment-classes">
        <TableHead
          density="compact"
          cells={[
            { label: tabular ? 'Class' : 'Label' },
            { label: 'Before', align: 'right' },
            { label: 'Added', align: 'right' },
            { label: 'After', align: 'right' },
            ...(tabular ? [{ label: 'Target', align: 'right' as const }, { label: 'Skipped seeds', align: 'right' as const }] : []),
            { label: '', className: 'w-1/3' },
          ]}
        />
        <tbody className="divide-y divide-zinc-100">
          {report.classes.map((c) => (
            <tr key={c.label}>
              <td className="px-3 py-2 font-mono text-xs whitespace-pre text-zinc-800">{c.label}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatNumber(c.before, 0)}</td>
              <td className={`px-3 py-2 text-right tabular-nums ${c.added > 0 ? 'font-semibold text-blue-700' : 'text-zinc-400'}`}>
                {c.added > 0 ? `+${formatNumber(c.added, 0)}` : '0'}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatNumber(c.after, 0)}</td>
              {tabular ? (
                <>
                  <td className="px-3 py-2 text-right text-zinc-600 tabular-nums">{c.target === undefined ? '—' : formatNumber(c.target, 0)}</td>
                  <td className="px-3 py-2 text-right text-zinc-600 tabular-nums">{c.skippedSeeds === undefined ? '—' : formatNumber(c.skippedSeeds, 0)}</td>
                </>
              ) : null}
              <td className="px-3 py-2" aria-hidden>
                <div className="flex h-2 overflow-hidden rounded-full bg-zinc-100">
                  <div className="bg-zinc-400" style={{ width: `${(c.before / widest) * 100}%` }} />
                  <div className="bg-blue-500" style={{ width: `${(c.added / widest) * 100}%` }} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function OpList({ ops }: { ops: Record<string, number> }) {
  const entries = Object.entries(ops).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  if (entries.length === 0) return null
  return (
    <p className="text-sm text-zinc-700" data-testid="augment-ops">
      <span className="mr-2 text-xs font-medium tracking-wide text-zinc-500 uppercase">Operations</span>
      {entries.map(([op, n]) => (
        <span key={op} className="mr-3 inline-block">
          <span className="font-mono text-xs">{op}</span> × {formatNumber(n, 0)}
        </span>
      ))}
    </p>
  )
}

export const augmentViews = defineViews({ kind: 'augment', Report })
