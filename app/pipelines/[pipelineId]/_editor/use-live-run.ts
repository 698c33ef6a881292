'use client'
import { useEffect } from 'react'
import { trpc } from '@/app/_lib/trpc'
import { isTerminalRun } from '@/server/runner/states'
import { useEditor } from './store'

/** Keeps the store's run live over the `runs.watch` subscription while it is not finished. */
export function useLiveRun(): void {
  const runId = useEditor((s) => s.run?.id ?? null)
  useEffect(() => {
    if (!runId) return
    const subscription = trpc.runs.watch.subscribe(
      { id: runId },
      {
        onData: (event) => {
          const store = useEditor.getState()
          if (store.run?.id !== runId) return
          store.setRun(event.data.run)
          store.addLogs(event.data.logs)
        },
        onError: (error) => useEditor.getState().notify(`Lost the live run updates: ${error.message}`),
      },
    )
    return () => subscription.unsubscribe()
  }, [runId])
}

export function isRunActive(status: string | undefined): boolean {
  return status !== undefined && !isTerminalRun(status as Parameters<typeof isTerminalRun>[0])
}
