import { ShieldAlert } from 'lucide-react'
import { formatNumber } from '@/app/_components/format'
import type { DatasetProfile } from '@/nodes/_lib/parquet'
import { quarantineColumns } from '@/nodes/validate/definition'
import { ReasonChips } from './cell-value'
import { ColumnStats } from './column-stats'
import { DataTable, type TableColumn } from './data-table'

/** The first rows of a dataset, its full row count and its columns. */
export interface DatasetRows {
  rowCount: number
  schema: TableColumn[]
  rows: Record<string, unknown>[]
}

/** A dataset port: how big it is, its first rows, and statistics per column. */
export function DatasetView({ preview, profile }: { preview: DatasetRows; profile: DatasetProfile }) {
  return (
    <div className="space-y-6">
      <DatasetSummary preview={preview} />
      <div className="card overflow-hidden">
        <DataTable columns={preview.schema} rows={preview.rows} testId="dataset-table" />
      </div>
      <StatsSection profile={profile} />
    </div>
  )
}

/** validate's quarantine port: the rows that broke a rule, with the reasons up front. */
export function QuarantineView({ preview, profile }: { preview: DatasetRows; profile: DatasetProfile }) {
  const { reasons, row } = quarantineColumns
  const first = preview.schema.filter((c) => c.name === reasons || c.name === row)
  first.sort((a, b) => (a.name === reasons ? -1 : b.name === reasons ? 1 : 0))
  const columns = [...first, ...preview.schema.filter((c) => c.name !== reasons && c.name !== row)]
  const count = preview.rowCount
  return (
    <div className="space-y-6">
      <div className={count > 0 ? 'card border-red-200 bg-red-50/60 p-4' : 'card border-green-200 bg-green-50/60 p-4'}>
        <p className="flex items-center gap-2 text-base font-semibold text-zinc-900">
          <ShieldAlert className={count > 0 ? 'size-5 text-red-600' : 'size-5 text-green-600'} aria-hidden />
          <span>
            <span data-testid="quarantine-count">{count}</span> {count === 1 ? 'row' : 'rows'} quarantined
          </span>
        </p>
        <p className="mt-1 text-sm text-zinc-600">
          {count > 0
            ? 'Each row below broke at least one rule; the red chips say which. They were kept out of the clean output.'
            : 'Every row passed every rule.'}
        </p>
      </div>
      {count > 0 ? (
        <>
          <DatasetSummary preview={preview} />
          <div className="card overflow-hidden">
            <DataTable
              columns={columns}
              rows={preview.rows}
              testId="quarantine-table"
              highlight={new Set([reasons])}
              renderCell={(column, value) =>
                column === reasons ? (
                  <div className="min-w-72">
                    <ReasonChips value={value} />
                  </div>
                ) : undefined
              }
            />
          </div>
          <StatsSection profile={profile} />
        </>
      ) : null}
    </div>
  )
}

function DatasetSummary({ preview }: { preview: DatasetRows }) {
  const shown = preview.rows.length
  return (
    <div className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-zinc-600">
      <span>
        <span className="font-semibold text-zinc-900 tabular-nums" data-testid="row-count">
          {formatNumber(preview.rowCount, 0)}
        </span>{' '}
        rows
      </span>
      <span>
        <span className="font-semibold text-zinc-900 tabular-nums">{preview.schema.length}</span> columns
      </span>
      {shown < preview.rowCount ? <span>showing the first {formatNumber(shown, 0)}</span> : null}
    </div>
  )
}

function StatsSection({ profile }: { profile: DatasetProfile }) {
  if (profile.columns.length === 0) return null
  return (
    <section>
      <h2 className="mb-2 text-sm font-semibold text-zinc-700">Column statistics</h2>
      <div className="card overflow-hidden">
        <ColumnStats columns={profile.columns} />
      </div>
    </section>
  )
}
