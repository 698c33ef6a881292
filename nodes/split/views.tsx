'use client'
import clsx from 'clsx'
import { Alert } from '@/app/_components/alert'
import { formatNumber, formatPercent } from '@/app/_components/format'
import { TableHead } from '@/app/_components/table-head'
import { defineViews } from '../views-contract'
import { splitReport, splitSides, type SplitReport, type SplitSide } from './definition'

const sideColours: Record<SplitSide, string> = {
  train: 'bg-sky-500',
  validation: 'bg-amber-500',
  test: 'bg-violet-500',
}

function methodInWords(report: SplitReport): string {
  switch (report.method) {
    case 'random':
      return 'At random'
    case 'stratified':
      return `Stratified by ${report.labels?.column ?? 'a label'}`
    case 'grouped':
      return `Grouped by ${report.groups?.column ?? 'a column'}: no group on two sides`
    case 'time':
      return `By time (${report.time?.column ?? 'a column'}): the newest rows are the test set`
  }
}

/** The split report: each side's size and share as a bar, then the labels on each side. */
function SplitReportView({ report }: { port: string; report: unknown }) {
  const parsed = splitReport.safeParse(report)
  if (!parsed.success) {
    return (
      <Alert tone="info" title="A report this view cannot summarise">
        It is not a split report; its JSON is below.
      </Alert>
    )
  }
  const data = parsed.data
  return (
    <div className="space-y-6" data-testid="split-report">
      <div className="card p-4">
        <p className="text-base font-semibold text-zinc-900">
          {methodInWords(data)} · {formatNumber(data.totalRows, 0)} rows
        </p>
        <p className="mt-0.5 text-sm text-zinc-600">
          seed <span className="font-mono text-xs">{data.seed}</span>; the same input and seed always give the same split
          {data.time && data.time.nullRows > 0 ? ` · ${formatNumber(data.time.nullRows, 0)} rows without a time went to train` : ''}
        </p>
        <SideBars report={data} />
      </div>
      {data.labels ? <LabelTable report={data} labels={data.labels} /> : null}
    </div>
  )
}

function SideBars({ report }: { report: SplitReport }) {
  return (
    <ul className="mt-4 space-y-2.5" data-testid="split-sides">
      {splitSides.map((side) => {
        const { rows, share } = report.sides[side]
        const groups = report.groups?.[side]
        const range = report.time?.ranges[side]
        return (
          <li key={side} data-side={side} className="grid grid-cols-[6rem_1fr_10rem] items-center gap-3 text-sm">
            <span className="font-medium text-zinc-800">{side}</span>
            <span className="h-2.5 overflow-hidden rounded-full bg-zinc-100" aria-hidden>
              <span className={clsx('block h-full', sideColours[side])} style={{ width: `${share * 100}%` }} />
            </span>
            <span className="text-right tabular-nums text-zinc-800">
              {formatNumber(rows, 0)} rows
              <span className="ml-1.5 text-xs text-zinc-500">
                {formatPercent(share)} (asked {formatPercent(report.ratios[side], 0)})
              </span>
            </span>
            {groups !== undefined || range ? (
              <span className="col-start-2 col-end-4 -mt-1.5 text-xs text-zinc-500">
                {groups !== undefined ? `${formatNumber(groups, 0)} ${groups === 1 ? 'group' : 'groups'}` : ''}
                {range ? `${formatValue(range.from)} → ${formatValue(range.to)}` : ''}
              </span>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}

function LabelTable({ report, labels }: { report: SplitReport; labels: NonNullable<SplitReport['labels']> }) {
  return (
    <section>
      <h2 className="mb-2 text-sm font-semibold text-zinc-700">
        Labels in <span className="font-mono text-xs whitespace-pre">{labels.column}</span>
        {labels.truncated ? (
          <span className="ml-2 font-normal text-zinc-500">
            the {formatNumber(labels.counts.length, 0)} most frequent of {formatNumber(labels.distinct, 0)}
          </span>
        ) : null}
      </h2>
      <div className="card overflow-x-auto">
        {labels.counts.length === 0 ? (
          <p className="p-4 text-sm text-zinc-500">The input has no rows.</p>
        ) : (
          <table className="min-w-full text-sm" data-testid="split-labels">
            <TableHead
              density="compact"
              cells={[{ label: 'Label' }, ...splitSides.map((side) => ({ label: side, align: 'right' as const })), { label: 'All', align: 'right' }]}
            />
            <tbody className="divide-y divide-zinc-100">
              {labels.counts.map((entry, i) => {
                const total = splitSides.reduce((sum, side) => sum + entry[side], 0)
                return (
                  <tr key={i}>
                    <td className="px-3 py-2 font-mono text-xs whitespace-pre text-zinc-800">
                      {entry.value === null ? <span className="text-zinc-400 italic">no label</span> : formatValue(entry.value)}
                    </td>
                    {splitSides.map((side) => (
                      <td key={side} className={clsx('px-3 py-2 text-right tabular-nums', report.ratios[side] > 0 && entry[side] === 0 ? 'text-red-700' : 'text-zinc-800')}>
                        {formatNumber(entry[side], 0)}
                        <span className="ml-1 text-xs text-zinc-500">{total > 0 ? formatPercent(entry[side] / total, 0) : ''}</span>
                      </td>
                    ))}
                    <td className="px-3 py-2 text-right text-zinc-600 tabular-nums">{formatNumber(total, 0)}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  )
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export const splitViews = defineViews({ kind: 'split', Report: SplitReportView })
