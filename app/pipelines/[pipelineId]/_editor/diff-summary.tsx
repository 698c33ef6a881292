'use client'
import type { DiffView } from './diff-view'

function show(value: unknown): string {
  if (value === undefined) return '—'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

/** The diff in words: nodes and edges added/removed, config changes field by field. */
export function DiffSummary({ view }: { view: DiffView }) {
  const { diff } = view
  if (diff.unchanged) return <p className="text-sm text-zinc-500">The two versions are the same.</p>
  return (
    <div className="max-h-72 space-y-2 overflow-y-auto text-sm" data-testid="diff-summary">
      {diff.renamed ? <p>Renamed <code>{diff.renamed.before}</code> → <code>{diff.renamed.after}</code></p> : null}
      {diff.nodes.added.map((id) => (
        <p key={`a-${id}`} className="text-green-700 dark:text-green-400">+ node <code>{id}</code></p>
      ))}
      {diff.nodes.removed.map((id) => (
        <p key={`r-${id}`} className="text-red-700 dark:text-red-400">− node <code>{id}</code></p>
      ))}
      {diff.edges.added.map((id) => (
        <p key={`ea-${id}`} className="text-green-700 dark:text-green-400">+ edge <code>{id}</code></p>
      ))}
      {diff.edges.removed.map((id) => (
        <p key={`er-${id}`} className="text-red-700 dark:text-red-400">− edge <code>{id}</code></p>
      ))}
      {diff.nodes.changed.map((change) => (
        <div key={`c-${change.id}`} className="text-amber-800 dark:text-amber-300">
          <p>~ node <code>{change.id}</code>{change.kindChanged ? ` (kind ${change.kindChanged.before} → ${change.kindChanged.after})` : ''}</p>
          <ul className="ml-4 text-xs text-zinc-700 dark:text-zinc-300">
            {change.config.map((c) => (
              <li key={c.path} data-testid="diff-field">
                <code>{c.path}</code>: {c.change === 'added' ? `added ${show(c.after)}` : c.change === 'removed' ? `removed (was ${show(c.before)})` : `${show(c.before)} → ${show(c.after)}`}
              </li>
            ))}
          </ul>
        </div>
      ))}
      {diff.nodes.moved.length > 0 ? <p className="text-zinc-500">Moved on the canvas: {diff.nodes.moved.join(', ')}</p> : null}
      {diff.notesChanged ? <p className="text-zinc-500">Sticky notes changed.</p> : null}
      {diff.groupsChanged ? <p className="text-zinc-500">Groups changed.</p> : null}
    </div>
  )
}
