import clsx from 'clsx'
import type { ReactNode } from 'react'
import { CellValue } from './cell-value'

export interface TableColumn {
  name: string
  type: string
}

const numericType = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/i

/**
 * The first rows of a dataset: sticky header, scrolls both ways, column names exactly as in the
 * data. `renderCell` lets a caller show a column its own way (the quarantine's reasons).
 */
export function DataTable({
  columns,
  rows,
  renderCell,
  highlight,
  testId,
}: {
  columns: TableColumn[]
  rows: Record<string, unknown>[]
  renderCell?: (column: string, value: unknown) => ReactNode | undefined
  highlight?: ReadonlySet<string>
  testId?: string
}) {
  if (columns.length === 0) return <p className="p-4 text-sm text-zinc-500">This dataset has no columns.</p>
  return (
    <div className="max-h-[32rem] overflow-auto" data-testid={testId}>
      <table className="min-w-full border-separate border-spacing-0 text-sm">
        <thead>
          <tr>
            <th className="sticky top-0 left-0 z-20 border-r border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-right text-xs font-normal text-zinc-400">
              #
            </th>
            {columns.map((column) => (
              <th
                key={column.name}
                scope="col"
                className={clsx(
                  'sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50 px-3 py-2 align-bottom whitespace-pre',
                  numericType.test(column.type) ? 'text-right' : 'text-left',
                  highlight?.has(column.name) && 'bg-red-50',
                )}
              >
                <span className="block font-medium text-zinc-800" data-column-name={column.name}>
                  {column.name}
                </span>
                <span className="block font-mono text-[10px] font-normal text-zinc-400 uppercase">{column.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i} className="group">
              <td className="sticky left-0 border-r border-b border-zinc-100 bg-white px-3 py-1.5 text-right font-mono text-xs text-zinc-400 tabular-nums group-hover:bg-zinc-50">
                {i + 1}
              </td>
              {columns.map((column) => {
                const value = row[column.name]
                return (
                  <td
                    key={column.name}
                    className={clsx(
                      'max-w-md border-b border-zinc-100 px-3 py-1.5 align-top group-hover:bg-zinc-50',
                      numericType.test(column.type) ? 'text-right' : 'text-left',
                    )}
                  >
                    {renderCell?.(column.name, value) ?? <CellValue value={value} />}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
