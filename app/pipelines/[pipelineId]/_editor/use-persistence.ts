'use client'
import { useCallback, useEffect, useRef, useState } from 'react'
import { errorMessage } from '@/app/_components/alert'
import { shortId } from '@/app/_components/format'
import { trpc } from '@/app/_lib/trpc'
import { toPipelineFile } from './document'
import { isDirty, useEditor } from './store'

export type DraftState = 'idle' | 'saving' | 'saved' | 'error'

/**
 * Whether the document differs from the last saved version. Compared a moment after the document
 * settles, never during a drag, and without subscribing to the document itself: serialising a
 * large pipeline takes milliseconds, and whatever shows this must not re-render on every frame.
 */
export function useDirty(): boolean {
  const [dirty, setDirty] = useState(false)
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const check = () => {
      clearTimeout(timer)
      timer = setTimeout(() => setDirty(isDirty(useEditor.getState())), 80)
    }
    check()
    const unsubscribe = useEditor.subscribe((s, previous) => {
      if (s.dragAnchor !== null) return
      const settled = previous.dragAnchor !== null
      if (settled || s.history.present !== previous.history.present || s.savedJson !== previous.savedJson) check()
    })
    return () => {
      clearTimeout(timer)
      unsubscribe()
    }
  }, [])
  return dirty
}

/** Saves the document as a new version. Returns the version, or null when saving failed (a toast says why). */
export async function saveVersion(message?: string): Promise<number | null> {
  const store = useEditor.getState()
  const doc = store.history.present
  try {
    const saved = await trpc.pipelines.save.mutate({
      id: store.pipelineId,
      file: toPipelineFile(doc),
      baseVersion: store.headVersion,
      ...(message?.trim() ? { message: message.trim() } : {}),
    })
    useEditor.getState().markSaved(doc, saved.version)
    const overwrote = 'overwroteVersion' in saved && saved.overwroteVersion
    useEditor
      .getState()
      .notify(
        overwrote
          ? `Saved v${saved.version}. Someone else had saved v${overwrote} since you opened the pipeline; yours is now the head (theirs stays in History).`
          : `Saved v${saved.version}.`,
        'info',
      )
    return saved.version
  } catch (error) {
    useEditor.getState().notify(`Not saved: ${errorMessage(error)}`)
    return null
  }
}

/** Saves unsaved changes first (a run always runs a saved version), then starts a run and watches it. */
export async function runPipeline(noCache = false): Promise<void> {
  const store = useEditor.getState()
  if (isDirty(store) && (await saveVersion('Saved to run')) === null) return
  try {
    const { runId } = await trpc.runs.start.mutate({ pipelineId: store.pipelineId, ...(noCache ? { noCache } : {}) })
    useEditor.getState().setRun(await trpc.runs.get.query({ id: runId }))
  } catch (error) {
    useEditor.getState().notify(`The run did not start: ${errorMessage(error)}`)
  }
}

/**
 * Runs `nodeId` and everything downstream of it again, as a new run of the shown run's version
 * (not of unsaved edits: a re-run repeats what ran); the other steps come from the cache. The
 * canvas then follows the new run, as after Run.
 */
export async function rerunFromNode(nodeId: string): Promise<void> {
  const run = useEditor.getState().run
  if (!run) return
  try {
    const { runId } = await trpc.runs.rerun.mutate({ id: run.id, nodeId })
    useEditor.getState().setRun(await trpc.runs.get.query({ id: runId }))
    useEditor.getState().notify(`Re-running ${nodeId} and what depends on it (v${run.version}); the other steps come from the cache.`, 'info')
  } catch (error) {
    useEditor.getState().notify(`The re-run from ${nodeId} did not start: ${errorMessage(error)} (run ${shortId(run.id)})`)
  }
}

export async function cancelRun(): Promise<void> {
  const run = useEditor.getState().run
  if (!run) return
  try {
    await trpc.runs.cancel.mutate({ id: run.id })
  } catch (error) {
    useEditor.getState().notify(`Could not cancel: ${errorMessage(error)}`)
  }
}

const draftDelayMs = 700

/**
 * Keeps a draft of unsaved changes on the server, so a closed tab or a crash loses nothing:
 * written shortly after each edit, at once when the tab is hidden, and dropped once saved.
 */
export function useDraftAutosave(enabled: boolean): DraftState {
  const [state, setState] = useState<DraftState>('idle')
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const hadDraft = useRef(false)

  const flush = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    const store = useEditor.getState()
    if (!store.pipelineId) return
    try {
      if (isDirty(store)) {
        setState('saving')
        await trpc.pipelines.draft.save.mutate({
          id: store.pipelineId,
          baseVersion: store.headVersion,
          file: toPipelineFile(store.history.present),
        })
        hadDraft.current = true
        setState('saved')
      } else if (hadDraft.current) {
        await trpc.pipelines.draft.discard.mutate({ id: store.pipelineId })
        hadDraft.current = false
        setState('idle')
      }
    } catch {
      setState('error')
    }
  }, [])

  useEffect(() => {
    if (!enabled) return
    hadDraft.current = useEditor.getState().savedJson !== JSON.stringify(toPipelineFile(useEditor.getState().history.present))
    const unsubscribe = useEditor.subscribe((s, previous) => {
      if (s.history.present === previous.history.present && s.savedJson === previous.savedJson) return
      if (s.dragAnchor !== null) return
      if (timer.current) clearTimeout(timer.current)
      timer.current = setTimeout(() => void flush(), draftDelayMs)
    })
    const onHide = () => {
      if (document.visibilityState === 'hidden' && timer.current) void flush()
    }
    document.addEventListener('visibilitychange', onHide)
    return () => {
      unsubscribe()
      document.removeEventListener('visibilitychange', onHide)
      if (timer.current) void flush()
    }
  }, [enabled, flush])

  return state
}
