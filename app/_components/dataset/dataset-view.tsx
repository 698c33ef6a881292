'use client'
import clsx from 'clsx'
import { Images, Table2 } from 'lucide-react'
import { useState, type ReactNode } from 'react'
import { formatNumber } from '@/app/_components/format'
import { isImageDataset } from '@/nodes/_lib/image-columns'
import type { DatasetProfile } from '@/nodes/_lib/parquet'
import type { DatasetPreview } from '@/nodes/views-contract'
import { ColumnStats } from './column-stats'
import { ImageGrid } from './image-grid'
import { VirtualTable } from './virtual-table'

/**
 * A dataset port: how big it is, all its rows in a scrolling table (or, for an image dataset, a grid
 * of its images with a toggle to the table), and statistics per column.
 */
export function DatasetView({ preview }: { preview: DatasetPreview }) {
  const images = isImageDataset(preview.schema)
  const [mode, setMode] = useState<'grid' | 'table'>(images ? 'grid' : 'table')
  return (
    <div className="space-y-6">
      <DatasetSummary preview={preview}>
        {images ? <ViewToggle mode={mode} onChange={setMode} /> : null}
      </DatasetSummary>
      {images && mode === 'grid' ? (
        <ImageGrid artifactId={preview.artifactId} total={preview.rowCount} />
      ) : (
        <div className="card overflow-hidden">
          <VirtualTable artifactId={preview.artifactId} total={preview.rowCount} columns={preview.schema} firstRows={preview.rows} testId="dataset-table" />
        </div>
      )}
      {preview.profile ? <StatsSection profile={preview.profile} /> : null}
    </div>
  )
}

export function DatasetSummary({ preview, children }: { preview: DatasetPreview; children?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm text-zinc-600">
      <span>
        <span className="font-semibold text-zinc-900 tabular-nums" data-testid="row-count">
          {formatNumber(preview.rowCount, 0)}
        </span>{' '}
        rows
      </span>
      <span>
        <span className="font-semibold text-zinc-900 tabular-nums">{preview.schema.length}</span> columns
      </span>
      {children}
    </div>
  )
}

function ViewToggle({ mode, onChange }: { mode: 'grid' | 'table'; onChange: (mode: 'grid' | 'table') => void }) {
  const option = (value: 'grid' | 'table', label: string, Icon: typeof Images) => (
    <button
      type="button"
      onClick={() => onChange(value)}
      aria-pressed={mode === value}
      data-testid={`view-${value}`}
      className={clsx('inline-flex items-center gap-1 px-2.5 py-1 text-xs font-medium', mode === value ? 'bg-zinc-800 text-white' : 'bg-white text-zinc-700 hover:bg-zinc-50')}
    >
      <Icon className="size-3.5" aria-hidden />
      {label}
    </button>
  )
  return (
    <span className="ml-auto inline-flex overflow-hidden rounded-md border border-zinc-300">
      {option('grid', 'Images', Images)}
      {option('table', 'Table', Table2)}
    </span>
  )
}

export function StatsSection({ profile }: { profile: DatasetProfile }) {
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
