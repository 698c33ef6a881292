'use client'
import { useReactFlow } from '@xyflow/react'
import { clsx } from 'clsx'
import {
  AlertTriangle,
  Download,
  Group,
  HelpCircle,
  History,
  LayoutGrid,
  Loader2,
  Play,
  Redo2,
  RefreshCcw,
  Save,
  Square,
  StickyNote,
  Undo2,
  Upload,
} from 'lucide-react'
import Link from 'next/link'
import { useState, type ReactNode } from 'react'
import { StatusBadge } from '@/app/_components/status-badge'
import { addNoteAt, groupSelection, layoutGraph } from './actions'
import { downloadPipeline } from './file-io'
import { canRedo, canUndo } from './history'
import { useEditor } from './store'
import { cancelRun, runPipeline, saveVersion, type DraftState } from './use-persistence'
import { isRunActive } from './use-live-run'
import type { Problems } from './use-problems'

function ToolButton({ label, onClick, disabled, children, testId, active }: { label: string; onClick(): void; disabled?: boolean; children: ReactNode; testId?: string; active?: boolean }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      title={label}
      aria-label={label}
      data-testid={testId}
      className={clsx(
        'rounded-md p-1.5 text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 disabled:opacity-40 disabled:hover:bg-transparent dark:text-zinc-300 dark:hover:bg-zinc-800',
        active && 'bg-accent-50 text-accent-700 dark:bg-zinc-800',
      )}
    >
      {children}
    </button>
  )
}

export interface ToolbarProps {
  problems: Problems
  dirty: boolean
  draft: DraftState
  canEdit: boolean
  canRun: boolean
  historyOpen: boolean
  onToggleHistory(): void
  onImport(): void
  onHelp(): void
  onShowProblems(): void
}

export function Toolbar(props: ToolbarProps) {
  const { problems, dirty, draft, canEdit, canRun } = props
  const undoable = useEditor((s) => canUndo(s.history))
  const redoable = useEditor((s) => canRedo(s.history))
  const headVersion = useEditor((s) => s.headVersion)
  const run = useEditor((s) => s.run)
  const { screenToFlowPosition } = useReactFlow()
  const [saving, setSaving] = useState(false)
  const [message, setMessage] = useState('')
  const [starting, setStarting] = useState(false)
  const active = isRunActive(run?.status)

  const save = async () => {
    setSaving(true)
    if ((await saveVersion(message)) !== null) setMessage('')
    setSaving(false)
  }
  const start = async (noCache = false) => {
    setStarting(true)
    await runPipeline(noCache)
    setStarting(false)
  }
  const addNote = () => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect()
    addNoteAt(screenToFlowPosition({ x: (pane?.left ?? 0) + 80, y: (pane?.top ?? 0) + 80 }))
  }
  const runBlocked =
    problems.all.length > 0
      ? `Fix ${problems.all.length === 1 ? 'this problem' : `these ${problems.all.length} problems`} first:\n${problems.all
          .slice(0, 6)
          .map((p) => `• ${p.message}`)
          .join('\n')}`
      : null
  const empty = useEditor((s) => s.history.present.nodes.length === 0)

  return (
    <div className="flex flex-wrap items-center gap-1 border-b border-zinc-200 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900">
      <ToolButton label="Undo (Ctrl+Z)" onClick={() => useEditor.getState().undo()} disabled={!canEdit || !undoable} testId="undo">
        <Undo2 className="size-4" />
      </ToolButton>
      <ToolButton label="Redo (Ctrl+Shift+Z)" onClick={() => useEditor.getState().redo()} disabled={!canEdit || !redoable} testId="redo">
        <Redo2 className="size-4" />
      </ToolButton>
      <span className="mx-1 h-5 w-px bg-zinc-200 dark:bg-zinc-700" aria-hidden />
      <ToolButton label="Auto-layout (L)" onClick={() => void layoutGraph()} disabled={!canEdit || empty} testId="auto-layout">
        <LayoutGrid className="size-4" />
      </ToolButton>
      <ToolButton label="Add a sticky note (N)" onClick={addNote} disabled={!canEdit} testId="add-note">
        <StickyNote className="size-4" />
      </ToolButton>
      <ToolButton label="Group selected nodes (Ctrl+G)" onClick={groupSelection} disabled={!canEdit} testId="group">
        <Group className="size-4" />
      </ToolButton>
      <span className="mx-1 h-5 w-px bg-zinc-200 dark:bg-zinc-700" aria-hidden />
      <ToolButton label="Import a pipeline file" onClick={props.onImport} disabled={!canEdit} testId="import">
        <Upload className="size-4" />
      </ToolButton>
      <ToolButton label="Export the pipeline file" onClick={() => downloadPipeline(useEditor.getState().history.present)} testId="export">
        <Download className="size-4" />
      </ToolButton>
      <ToolButton label="Version history" onClick={props.onToggleHistory} testId="history" active={props.historyOpen}>
        <History className="size-4" />
      </ToolButton>
      <ToolButton label="Keyboard shortcuts (?)" onClick={props.onHelp} testId="help">
        <HelpCircle className="size-4" />
      </ToolButton>

      <div className="ml-auto flex flex-wrap items-center gap-2">
        {problems.all.length > 0 ? (
          <button type="button" onClick={props.onShowProblems} data-testid="problems-count" className="flex items-center gap-1 rounded-md px-2 py-1 text-sm font-medium text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950">
            <AlertTriangle className="size-4" aria-hidden />
            {problems.all.length} {problems.all.length === 1 ? 'problem' : 'problems'}
          </button>
        ) : null}
        <span className="text-xs text-zinc-500" data-testid="save-state">
          {dirty ? (draft === 'saved' ? 'Unsaved changes · draft kept' : draft === 'error' ? 'Unsaved changes · draft not kept' : 'Unsaved changes') : `Saved · v${headVersion}`}
        </span>
        {canEdit ? (
          <>
            <input
              className="input w-44 py-1 dark:border-zinc-600 dark:bg-zinc-800"
              placeholder="What changed? (optional)"
              aria-label="Version message"
              data-testid="version-message"
              value={message}
              onChange={(e) => setMessage(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && void save()}
            />
            <button type="button" className="btn-secondary dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-100" onClick={() => void save()} disabled={saving || !dirty} data-testid="save-version" title="Save a new version (Ctrl+S)">
              <Save className="size-4" aria-hidden /> Save
            </button>
          </>
        ) : null}
        {run ? (
          <Link href={`/runs/${run.id}`} data-testid="open-run" title="Open the run: every step, its logs and outputs" className="flex items-center gap-1 text-xs text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200">
            run v{run.version} <StatusBadge status={run.status} testId="canvas-run-status" />
          </Link>
        ) : null}
        {canRun ? (
          active ? (
            <button type="button" className="btn-danger" onClick={() => void cancelRun()} data-testid="cancel-run">
              <Square className="size-4" aria-hidden /> Cancel
            </button>
          ) : (
            <button
              type="button"
              className="btn-primary"
              onClick={() => void start()}
              disabled={starting || !!runBlocked || empty}
              title={runBlocked ?? (empty ? 'Add nodes first' : dirty ? 'Saves your changes as a new version, then runs it (Ctrl+Enter)' : 'Run (Ctrl+Enter)')}
              data-testid="canvas-run"
            >
              {starting ? <Loader2 className="size-4 animate-spin" aria-hidden /> : <Play className="size-4" aria-hidden />}
              {dirty ? 'Save & run' : 'Run'}
            </button>
          )
        ) : null}
        {canRun && !active ? (
          <ToolButton label="Run, ignoring the step cache (every step runs again)" onClick={() => void start(true)} disabled={starting || !!runBlocked || empty} testId="canvas-run-no-cache">
            <RefreshCcw className="size-4" />
          </ToolButton>
        ) : null}
      </div>
    </div>
  )
}
