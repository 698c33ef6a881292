'use client'
import { useReactFlow } from '@xyflow/react'
import { Search } from 'lucide-react'
import { nodeIcons } from '@/nodes/icons'
import { useMemo, useState } from 'react'
import { nodeDefinitions } from '@/nodes/registry'
import { addNodeAt } from './actions'
import { paletteMime, searchPalette, type PaletteEntry } from './palette-search'

const entries: PaletteEntry[] = nodeDefinitions.map((d) => ({ kind: d.kind, ui: d.ui }))

/** Node kinds to drag onto the canvas (or click / Enter to add in the middle of the view). */
export function Palette({ disabled }: { disabled: boolean }) {
  const [query, setQuery] = useState('')
  const matches = useMemo(() => searchPalette(entries, query), [query])
  const { screenToFlowPosition } = useReactFlow()

  const addInView = (kind: string) => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect()
    const centre = pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: 400, y: 300 }
    const at = screenToFlowPosition(centre)
    addNodeAt(kind, { x: at.x - 112, y: at.y - 40 })
  }

  return (
    <aside className="flex w-60 shrink-0 flex-col border-r border-zinc-200 bg-white dark:border-zinc-700 dark:bg-zinc-900" aria-label="Node palette">
      <div className="border-b border-zinc-200 p-3 dark:border-zinc-700">
        <label className="relative block">
          <span className="sr-only">Search nodes</span>
          <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-zinc-400" aria-hidden />
          <input
            id="palette-search"
            data-testid="palette-search"
            className="input pl-8 dark:border-zinc-600 dark:bg-zinc-800"
            placeholder="Search nodes…  ( / )"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && matches[0] && !disabled) addInView(matches[0].kind)
              if (e.key === 'Escape') setQuery('')
            }}
          />
        </label>
      </div>
      <ul className="flex-1 space-y-1.5 overflow-y-auto p-3">
        {matches.map((entry) => {
          const Icon = nodeIcons[entry.ui.icon]
          return (
            <li key={entry.kind}>
              <button
                type="button"
                draggable={!disabled}
                disabled={disabled}
                data-testid={`palette-item-${entry.kind}`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(paletteMime, entry.kind)
                  e.dataTransfer.effectAllowed = 'copy'
                }}
                onClick={() => addInView(entry.kind)}
                className="flex w-full cursor-grab items-start gap-2.5 rounded-md border border-zinc-200 bg-white p-2.5 text-left hover:border-accent-500 hover:bg-accent-50 disabled:cursor-not-allowed disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-800 dark:hover:bg-zinc-700"
                title={`Drag onto the canvas, or click to add · also found as: ${entry.ui.aliases.join(', ')}`}
              >
                <Icon className="mt-0.5 size-4 shrink-0 text-accent-600" aria-hidden />
                <span className="min-w-0">
                  <span className="block text-sm font-medium text-zinc-900 dark:text-zinc-100">{entry.ui.title}</span>
                  <span className="line-clamp-2 block text-xs text-zinc-500 dark:text-zinc-400">{entry.ui.description}</span>
                </span>
              </button>
            </li>
          )
        })}
        {matches.length === 0 ? (
          <li className="px-1 text-sm text-zinc-500">No node matches “{query}”. Try “load”, “check” or “csv”.</li>
        ) : null}
      </ul>
    </aside>
  )
}
