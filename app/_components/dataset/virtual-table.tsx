'use client'
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import clsx from 'clsx'
import { useMemo, useRef, useState, type ReactNode } from 'react'
import { Alert } from '@/app/_components/alert'
import { formatNumber } from '@/app/_components/format'
import { CellValue } from './cell-value'
import { GoToRow } from './go-to-row'
import { useRowPages, type Row } from './use-row-pages'

export interface TableColumn {
  name: string
  type: string
}

/** Fixed, so a million rows are exactly rowHeight × 1,000,000 pixels tall and any row is one jump away. */
const rowHeight = 28
/**
 * Browsers stop laying out beyond about 33 million pixels; a larger dataset is shown a window of
 * this many rows at a time, and "go to row" moves the window.
 */
const windowRows = Math.floor(30_000_000 / rowHeight)

const numericType = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/i

function columnWidth(column: TableColumn): number {
  const byType = numericType.test(column.type) ? 110 : column.type.endsWith(']') || column.type.startsWith('STRUCT') ? 240 : 180
  return Math.min(360, Math.max(byType, column.name.length * 8 + 28))
}

/** One visible row: its number in the dataset and its values once their page has arrived. */
interface WindowRow {
  index: number
  values: Row | undefined
}

const features = tableFeatures({})
const helper = createColumnHelper<typeof features, WindowRow>()

export interface VirtualTableProps {
  artifactId: string
  total: number
  /** in the order shown */
  columns: readonly TableColumn[]
  /** the dataset's first rows, rendered with the page so nothing waits for a request */
  firstRows: readonly Row[]
  /** shows a column its own way (the quarantine's reasons); undefined falls back to the plain value */
  renderCell?: (column: string, value: unknown) => ReactNode | undefined
  highlight?: ReadonlySet<string>
  /** pixels, by column name, for columns that need more (or less) than their type suggests */
  widths?: Readonly<Record<string, number>>
  testId?: string
  /** CSS height the scrolling area grows to; a short table is as tall as its rows */
  height?: string
}

/**
 * Every row of a dataset, however many: only the rows on screen are in the DOM, and their pages are
 * fetched from the server as they scroll into view. Sticky header with each column's type, sticky
 * row numbers, and a "go to row" box.
 */
export function VirtualTable({ artifactId, total, columns, firstRows, renderCell, highlight, widths, testId, height = '32rem' }: VirtualTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const [base, setBase] = useState(0)
  const count = Math.min(windowRows, Math.max(0, total - base))
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 12 })
  const items = virtualizer.getVirtualItems()
  const visible = { first: base + (items[0]?.index ?? 0), last: base + (items.at(-1)?.index ?? -1) }
  const { rowAt, error } = useRowPages(artifactId, total, firstRows, visible)

  const tableColumns = useMemo(
    () => [
      helper.display({ id: 'row-number', header: () => '#', cell: (info) => formatNumber(info.row.original.index + 1, 0) }),
      ...columns.map((column, i) =>
        helper.accessor((row) => row.values?.[column.name], {
          id: `column-${i}`,
          header: () => <ColumnHeader column={column} />,
          cell: (info) => renderCell?.(column.name, info.getValue()) ?? <CellValue value={info.getValue()} />,
        }),
      ),
    ],
    [columns, renderCell],
  )
  const data = items.map((item): WindowRow => ({ index: base + item.index, values: rowAt(base + item.index) }))
  const table = useTable({ features, columns: tableColumns, data, getRowId: (row) => String(row.index) })

  const template = `${Math.max(56, formatNumber(total, 0).length * 8 + 32)}px ${columns.map((c) => `${widths?.[c.name] ?? columnWidth(c)}px`).join(' ')}`
  const goTo = (rowNumber: number) => {
    const index = rowNumber - 1
    if (index < base || index >= base + windowRows) {
      const nextBase = Math.max(0, Math.min(index - Math.floor(windowRows / 2), total - windowRows))
      setBase(nextBase)
      requestAnimationFrame(() => virtualizer.scrollToIndex(index - nextBase, { align: 'center' }))
    } else virtualizer.scrollToIndex(index - base, { align: 'center' })
  }

  if (columns.length === 0) return <p className="p-4 text-sm text-zinc-500">This dataset has no columns.</p>
  const [headerGroup] = table.getHeaderGroups()
  return (
    <div>
      <div className="flex flex-wrap items-center gap-3 border-b border-zinc-200 px-3 py-2 text-xs text-zinc-500">
        <span data-testid="visible-rows">
          rows {formatNumber(Math.min(total, visible.first + 1), 0)}–{formatNumber(Math.min(total, visible.last + 1), 0)} of {formatNumber(total, 0)}
        </span>
        {total > windowRows ? <span>(the scroll bar covers {formatNumber(windowRows, 0)} rows around the last one you went to)</span> : null}
        <GoToRow total={total} onGo={goTo} />
      </div>
      {error ? (
        <Alert className="m-3" title="Rows could not be loaded">
          {error}
        </Alert>
      ) : null}
      <div ref={scrollRef} tabIndex={0} className="overflow-auto text-sm outline-none" style={{ maxHeight: height }} data-testid={testId} data-total={total} role="table" aria-rowcount={total}>
        <div className="sticky top-0 z-20 grid min-w-max border-b border-zinc-200 bg-zinc-50" style={{ gridTemplateColumns: template }} role="row">
          {headerGroup?.headers.map((header, i) => (
            <div
              key={header.id}
              role="columnheader"
              className={clsx(
                'px-3 py-1.5',
                i === 0 ? 'sticky left-0 z-10 border-r border-zinc-200 bg-zinc-50 text-right text-xs text-zinc-400' : numericType.test(columns[i - 1]!.type) && 'text-right',
                i > 0 && highlight?.has(columns[i - 1]!.name) && 'bg-red-50',
              )}
            >
              <table.FlexRender header={header} />
            </div>
          ))}
        </div>
        <div className="relative min-w-max" style={{ height: virtualizer.getTotalSize() }}>
          {table.getRowModel().rows.map((row, i) => {
            const item = items[i]!
            const loaded = row.original.values !== undefined
            return (
              <div
                key={row.id}
                role="row"
                aria-rowindex={row.original.index + 1}
                data-row-number={row.original.index + 1}
                data-loading={loaded ? undefined : 'true'}
                className="group absolute left-0 grid w-full border-b border-zinc-100 hover:bg-zinc-50"
                style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${item.start}px)` }}
              >
                {row.getAllCells().map((cell, c) => (
                  <div
                    key={cell.id}
                    role="cell"
                    className={clsx(
                      'truncate px-3 leading-7',
                      c === 0 ? 'sticky left-0 border-r border-zinc-100 bg-white text-right font-mono text-xs/7 text-zinc-400 tabular-nums group-hover:bg-zinc-50' : numericType.test(columns[c - 1]!.type) && 'text-right',
                    )}
                  >
                    {c === 0 || loaded ? <table.FlexRender cell={cell} /> : <span className="inline-block h-2 w-3/4 animate-pulse rounded bg-zinc-100 align-middle" />}
                  </div>
                ))}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}

function ColumnHeader({ column }: { column: TableColumn }) {
  return (
    <span className="block truncate" title={`${column.name} · ${column.type}`}>
      <span className="block truncate font-medium whitespace-pre text-zinc-800" data-column-name={column.name}>
        {column.name}
      </span>
      <span className="block truncate font-mono text-[10px] font-normal text-zinc-400 uppercase">{column.type}</span>
    </span>
  )
}
