import { clsx } from 'clsx'
import type { ReactNode } from 'react'

export interface HeadCell {
  label?: ReactNode
  /** numbers read best right-aligned */
  align?: 'left' | 'right'
  className?: string
}

/** The header row every table in the app shares: small caps on a light band. */
export function TableHead({ cells, density = 'normal' }: { cells: HeadCell[]; density?: 'normal' | 'compact' | 'roomy' }) {
  const padding = density === 'compact' ? 'px-3 py-2' : density === 'roomy' ? 'px-4 py-2.5' : 'px-4 py-2'
  return (
    <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase">
      <tr>
        {cells.map((cell, index) => (
          <th key={index} className={clsx(padding, cell.align === 'right' && 'text-right', cell.className)}>
            {cell.label}
          </th>
        ))}
      </tr>
    </thead>
  )
}
