'use client'
import { ReactFlowProvider, useReactFlow } from '@xyflow/react'
import { clsx } from 'clsx'
import { useRouter } from 'next/navigation'
import { Moon, Sun, SunMoon, X } from 'lucide-react'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { PipelineFile } from '@/server/compiler/pipeline-file'
import type { RunDetail } from '@/server/runner/runs'
import * as actions from './actions'
import { Canvas } from './canvas'
import { HelpDialog, ImportDialog } from './dialogs'
import { fromPipelineFile, toPipelineFile, upgradesIn } from './document'
import type { Box } from './geometry'
import { EmptyCanvasHelp } from './empty-canvas-help'
import { parsePipelineText } from './file-io'
import { HistoryPanel } from './history-panel'
import { NodePanel } from './node-panel'
import { Palette } from './palette'
import { ProblemsList } from './problems-list'
import { useShortcuts, type ShortcutHandlers } from './shortcuts'
import { useEditor } from './store'
import { Toasts } from './toasts'
import { Toolbar } from './toolbar'
import { isRunActive, useLiveRun } from './use-live-run'
import { runPipeline, saveVersion, useDirty, useDraftAutosave } from './use-persistence'
import { useProblems } from './use-problems'
import { useTheme } from './use-theme'

export interface EditorProps {
  pipelineId: string
  head: { version: number; file: PipelineFile }
  draft: { baseVersion: number; file: unknown; updatedAt: Date } | null
  latestRun: RunDetail | null
  canEdit: boolean
  canRun: boolean
}

export function PipelineEditor(props: EditorProps) {
  return (
    <ReactFlowProvider>
      <Workspace {...props} />
    </ReactFlowProvider>
  )
}

/**
 * Loads the head version, or the user's unsaved draft of it when there is one. Once per pipeline:
 * later server renders (a refresh after a save or a run) must not throw away the undo history.
 */
function useInitialDocument({ pipelineId, head, draft, latestRun }: EditorProps): { ready: boolean; restoredDraft: EditorProps['draft'] } {
  const [state, setState] = useState<{ ready: boolean; restoredDraft: EditorProps['draft'] }>({ ready: false, restoredDraft: null })
  const loaded = useRef<string | null>(null)
  useEffect(() => {
    if (loaded.current === pipelineId) return
    loaded.current = pipelineId
    const saved = fromPipelineFile(head.file)
    const fromDraft = draft ? parsePipelineText(JSON.stringify(draft.file)) : null
    useEditor.getState().init({
      pipelineId,
      doc: fromDraft?.ok ? fromDraft.doc : saved,
      savedJson: JSON.stringify(toPipelineFile(saved)),
      headVersion: head.version,
      run: latestRun,
    })
    setState({ ready: true, restoredDraft: fromDraft?.ok ? draft : null })
  }, [pipelineId, head, draft, latestRun])
  return state
}

/** The part of the canvas on screen, in flow coordinates. */
function visibleFlowBox(toFlow: (p: { x: number; y: number }) => { x: number; y: number }): Box {
  const pane = document.querySelector('.react-flow')?.getBoundingClientRect()
  if (!pane) return { x: 0, y: 0, width: 800, height: 600 }
  const topLeft = toFlow({ x: pane.left, y: pane.top })
  const bottomRight = toFlow({ x: pane.right, y: pane.bottom })
  return { ...topLeft, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y }
}

/** The server-rendered parts of the page (the runs table) follow a save or a finished run. */
function useRefreshPageOnChange(): void {
  const router = useRouter()
  const headVersion = useEditor((s) => s.headVersion)
  const runState = useEditor((s) => (s.run ? `${s.run.id}:${isRunActive(s.run.status) ? 'active' : 'done'}` : ''))
  const first = useRef(true)
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    router.refresh()
  }, [headVersion, runState, router])
}

function Workspace(props: EditorProps) {
  const { canEdit, canRun } = props
  const { ready, restoredDraft } = useInitialDocument(props)
  const empty = useEditor((s) => s.history.present.nodes.length === 0)
  const panelNodeId = useEditor((s) => s.panelNodeId)
  const problems = useProblems()
  const dirty = useDirty()
  const draftState = useDraftAutosave(ready && canEdit)
  const theme = useTheme()
  const { fitView, screenToFlowPosition } = useReactFlow()
  const [dialog, setDialog] = useState<'help' | 'import' | null>(null)
  const [side, setSide] = useState<'history' | 'problems' | null>(null)
  const [draftNotice, setDraftNotice] = useState(true)
  useLiveRun()
  useRefreshPageOnChange()

  const handlers: ShortcutHandlers = useMemo(
    () => ({
      undo: () => useEditor.getState().undo(),
      redo: () => useEditor.getState().redo(),
      save: () => void saveVersion(),
      run: () => void (canRun && runPipeline()),
      selectAll: actions.selectAll,
      group: actions.groupSelection,
      ungroup: actions.ungroupSelection,
      note: () => {
        const view = visibleFlowBox(screenToFlowPosition)
        actions.addNoteAt({ x: view.x + 40, y: view.y + 40 })
      },
      layout: () => void actions.layoutGraph().then(() => fitView({ duration: 200, padding: 0.2, maxZoom: 1 })),
      fit: () => void fitView({ duration: 200, padding: 0.2, maxZoom: 1 }),
      search: () => document.getElementById('palette-search')?.focus(),
      escape: () => {
        useEditor.getState().openPanel(null)
        useEditor.getState().select({ nodes: [], edges: [], notes: [], groups: [] })
      },
      help: () => setDialog('help'),
      copy: actions.selectionAsJson,
      cut: () => {
        const text = actions.selectionAsJson()
        if (text) actions.deleteSelection()
        return text
      },
      paste: (text) => void actions.pasteText(text, visibleFlowBox(screenToFlowPosition)),
    }),
    [canRun, fitView, screenToFlowPosition],
  )
  useShortcuts(handlers, ready && canEdit)

  const ThemeIcon = theme.choice === 'dark' ? Moon : theme.choice === 'light' ? Sun : SunMoon
  return (
    <div
      className={clsx('flex h-[calc(100vh-14.5rem)] min-h-[30rem] flex-col overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-700 dark:bg-zinc-950', theme.dark && 'dark')}
      data-testid="pipeline-editor"
      data-ready={ready}
    >
      <div className="flex items-center">
        <div className="flex-1">
          <Toolbar
            problems={problems}
            dirty={dirty}
            draft={draftState}
            canEdit={canEdit}
            canRun={canRun}
            historyOpen={side === 'history'}
            onToggleHistory={() => setSide(side === 'history' ? null : 'history')}
            onImport={() => setDialog('import')}
            onHelp={() => setDialog('help')}
            onShowProblems={() => setSide(side === 'problems' ? null : 'problems')}
          />
        </div>
      </div>
      <UpgradeNotice file={props.head.file} />
      {restoredDraft && draftNotice ? (
        <div className="flex items-center gap-3 border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100" data-testid="draft-notice">
          <span>
            Restored your unsaved changes from {new Date(restoredDraft.updatedAt).toLocaleString()} (based on v{restoredDraft.baseVersion}
            {restoredDraft.baseVersion !== props.head.version ? `; the head is now v${props.head.version}` : ''}).
          </span>
          <button
            type="button"
            className="underline"
            onClick={() => {
              useEditor.getState().edit(() => fromPipelineFile(props.head.file))
              setDraftNotice(false)
            }}
          >
            Discard them
          </button>
          <button type="button" className="ml-auto" aria-label="Hide" onClick={() => setDraftNotice(false)}>
            <X className="size-4" />
          </button>
        </div>
      ) : null}
      <div className="relative flex min-h-0 flex-1">
        {canEdit ? <Palette disabled={!ready} /> : null}
        <div className="relative min-w-0 flex-1">
          {ready ? <Canvas problems={problems} readOnly={!canEdit} dark={theme.dark} /> : null}
          {ready && empty ? <EmptyCanvasHelp canEdit={canEdit} /> : null}
          <button
            type="button"
            onClick={theme.cycle}
            className="absolute top-3 right-3 z-10 rounded-md border border-zinc-200 bg-white p-1.5 text-zinc-600 shadow-xs hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300"
            title={`Theme: ${theme.choice} (click to change)`}
            aria-label={`Canvas theme: ${theme.choice}`}
            data-testid="theme-toggle"
          >
            <ThemeIcon className="size-4" />
          </button>
          <Toasts />
        </div>
        {side === 'problems' ? <ProblemsList problems={problems} onClose={() => setSide(null)} /> : null}
        {side === 'history' ? <HistoryPanel pipelineId={props.pipelineId} canEdit={canEdit} onClose={() => setSide(null)} /> : null}
        {panelNodeId && side === null ? <NodePanel nodeId={panelNodeId} canEdit={canEdit} canRun={canRun} /> : null}
      </div>
      <HelpDialog open={dialog === 'help'} onClose={() => setDialog(null)} />
      <ImportDialog open={dialog === 'import'} onClose={() => setDialog(null)} />
    </div>
  )
}

/** A file written for older node versions opens upgraded; say what changed, once, until hidden. */
function UpgradeNotice({ file }: { file: EditorProps['head']['file'] }) {
  const notes = useMemo(() => upgradesIn(file), [file])
  const [hidden, setHidden] = useState(false)
  if (notes.length === 0 || hidden) return null
  return (
    <div className="flex items-start gap-3 border-b border-sky-200 bg-sky-50 px-3 py-1.5 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-100" data-testid="upgrade-notice">
      <div>
        {notes.map((note) => (
          <p key={note}>{note}</p>
        ))}
        <p className="text-xs">Runs use the upgraded settings; save to keep them in the file.</p>
      </div>
      <button type="button" className="ml-auto" aria-label="Hide" onClick={() => setHidden(true)}>
        <X className="size-4" />
      </button>
    </div>
  )
}
