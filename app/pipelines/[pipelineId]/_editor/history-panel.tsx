'use client'
import { GitCompare, RotateCcw, X } from 'lucide-react'
import { useEffect, useState } from 'react'
import { errorMessage } from '@/app/_components/alert'
import { formatRelative } from '@/app/_components/format'
import { trpc } from '@/app/_lib/trpc'
import { buildDiffView } from './diff-view'
import { DiffSummary } from './diff-summary'
import { fromPipelineFile } from './document'
import { useEditor } from './store'

type VersionRow = Awaited<ReturnType<typeof trpc.pipelines.versions.query>>[number]

/** Every saved version: compare any two on the canvas, restore one as the new head. */
export function HistoryPanel({ pipelineId, canEdit, onClose }: { pipelineId: string; canEdit: boolean; onClose(): void }) {
  const headVersion = useEditor((s) => s.headVersion)
  const diffView = useEditor((s) => s.diffView)
  const [versions, setVersions] = useState<VersionRow[] | null>(null)
  const [from, setFrom] = useState<number | null>(null)
  const [to, setTo] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    trpc.pipelines.versions
      .query({ id: pipelineId })
      .then((rows) => {
        if (!live) return
        setVersions(rows)
        setTo((t) => t ?? rows[0]?.version ?? null)
        setFrom((f) => f ?? rows[1]?.version ?? rows[0]?.version ?? null)
      })
      .catch((e) => live && setError(errorMessage(e)))
    return () => {
      live = false
    }
  }, [pipelineId, headVersion])

  const compare = async () => {
    if (from === null || to === null) return
    setBusy(true)
    setError(null)
    try {
      const [a, b] = await Promise.all([
        trpc.pipelines.version.query({ id: pipelineId, version: Math.min(from, to) }),
        trpc.pipelines.version.query({ id: pipelineId, version: Math.max(from, to) }),
      ])
      useEditor.getState().showDiff(buildDiffView(a, b))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const restore = async (version: number) => {
    setBusy(true)
    setError(null)
    try {
      const saved = await trpc.pipelines.restore.mutate({ id: pipelineId, version })
      const { file } = await trpc.pipelines.version.query({ id: pipelineId, version: saved.version })
      const store = useEditor.getState()
      const doc = fromPipelineFile(file)
      store.showDiff(null)
      store.edit(() => doc)
      store.markSaved(doc, saved.version)
      store.notify(`Restored v${version} as v${saved.version}.`, 'info')
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const options = versions ?? []
  return (
    <aside className="flex w-[26rem] shrink-0 flex-col border-l border-zinc-200 bg-white dark:border-zinc-700 dark:bg-zinc-900" aria-label="Version history" data-testid="history-panel">
      <div className="flex items-center justify-between border-b border-zinc-200 p-3 dark:border-zinc-700">
        <h2 className="text-sm font-semibold dark:text-zinc-100">Version history</h2>
        <button
          type="button"
          aria-label="Close history"
          onClick={() => {
            useEditor.getState().showDiff(null)
            onClose()
          }}
          className="rounded p-1 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800"
        >
          <X className="size-4" />
        </button>
      </div>
      <div className="border-b border-zinc-200 p-3 dark:border-zinc-700">
        <div className="flex items-center gap-2 text-sm dark:text-zinc-200">
          <label className="sr-only" htmlFor="diff-from">Compare from</label>
          <select id="diff-from" data-testid="diff-from" className="input py-1 dark:bg-zinc-800" value={from ?? ''} onChange={(e) => setFrom(Number(e.target.value))}>
            {options.map((v) => (
              <option key={v.version} value={v.version}>v{v.version}</option>
            ))}
          </select>
          <span aria-hidden>→</span>
          <label className="sr-only" htmlFor="diff-to">Compare to</label>
          <select id="diff-to" data-testid="diff-to" className="input py-1 dark:bg-zinc-800" value={to ?? ''} onChange={(e) => setTo(Number(e.target.value))}>
            {options.map((v) => (
              <option key={v.version} value={v.version}>v{v.version}</option>
            ))}
          </select>
          <button type="button" className="btn-secondary shrink-0" onClick={() => void compare()} disabled={busy || from === null || to === null || from === to} data-testid="diff-show">
            <GitCompare className="size-4" aria-hidden /> Compare
          </button>
        </div>
        {diffView ? (
          <div className="mt-3">
            <div className="mb-2 flex items-center justify-between text-sm">
              <span className="font-medium dark:text-zinc-100">v{diffView.before} → v{diffView.after}</span>
              <button type="button" className="link text-sm" onClick={() => useEditor.getState().showDiff(null)} data-testid="diff-close">
                Back to editing
              </button>
            </div>
            <DiffSummary view={diffView} />
          </div>
        ) : null}
      </div>
      {error ? <p role="alert" className="m-3 text-sm text-red-600">{error}</p> : null}
      <ol className="flex-1 divide-y divide-zinc-100 overflow-y-auto dark:divide-zinc-800" data-testid="versions">
        {versions === null ? <li className="p-3 text-sm text-zinc-500">Loading…</li> : null}
        {options.map((v) => (
          <li key={v.version} className="flex items-start gap-2 p-3 text-sm" data-testid={`version-${v.version}`}>
            <div className="min-w-0 flex-1">
              <div className="flex items-center gap-2">
                <span className="font-mono font-semibold dark:text-zinc-100">v{v.version}</span>
                {v.version === headVersion ? <span className="rounded bg-accent-50 px-1.5 text-xs text-accent-700">head</span> : null}
              </div>
              <p className="truncate text-zinc-700 dark:text-zinc-300">{v.message ?? <span className="text-zinc-400 italic">no message</span>}</p>
              <p className="text-xs text-zinc-500">
                {formatRelative(v.createdAt)}
                {'createdByName' in v && v.createdByName ? ` · ${String(v.createdByName)}` : ''}
              </p>
            </div>
            {canEdit && v.version !== headVersion ? (
              <button type="button" className="btn-secondary py-1 text-xs" disabled={busy} onClick={() => void restore(v.version)} data-testid={`restore-${v.version}`} title="Save this version's file as a new head version">
                <RotateCcw className="size-3.5" aria-hidden /> Restore
              </button>
            ) : null}
          </li>
        ))}
      </ol>
    </aside>
  )
}
