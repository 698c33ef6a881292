'use client'
import { MousePointer2 } from 'lucide-react'

/** What a new pipeline shows: how to start, in three steps. */
export function EmptyCanvasHelp({ canEdit }: { canEdit: boolean }) {
  return (
    <div className="pointer-events-none absolute inset-0 flex items-center justify-center" data-testid="empty-canvas">
      <div className="max-w-md rounded-lg border border-dashed border-zinc-300 bg-white/90 p-6 text-center shadow-xs dark:border-zinc-600 dark:bg-zinc-900/90">
        <MousePointer2 className="mx-auto mb-2 size-6 text-accent-500" aria-hidden />
        <h2 className="font-semibold text-zinc-900 dark:text-zinc-100">An empty pipeline</h2>
        {canEdit ? (
          <ol className="mt-3 space-y-1.5 text-left text-sm text-zinc-600 dark:text-zinc-300">
            <li>1. Drag <b>Ingest</b> from the palette on the left to load a file or a sample data set.</li>
            <li>2. Add <b>Validate</b> and connect Ingest's <i>dataset</i> output (right) to its input (left).</li>
            <li>3. Click a node to fill its settings, then <b>Run</b>. Press <kbd className="rounded border px-1">?</kbd> for shortcuts.</li>
          </ol>
        ) : (
          <p className="mt-2 text-sm text-zinc-600">Nothing here yet. Your role may view pipelines but not edit them.</p>
        )}
      </div>
    </div>
  )
}
