'use client'
import { useCallback, useEffect, useRef, useState } from 'react'
import { errorMessage } from '@/app/_components/alert'
import { trpc } from '@/app/_lib/trpc'
import type { RunDetail } from '@/server/runner/runs'

export type RunLog = { id: number; stepId: string; at: Date; level: string; message: string }
export type Connection = 'connecting' | 'live' | 'ended' | 'error'

const maxLogs = 5000

/**
 * The run, kept live over the `runs.watch` subscription: each event carries the whole run
 * and the log lines since the last one. `restart()` watches again (after a retry).
 */
export function useRunWatch(initial: RunDetail) {
  const [run, setRun] = useState<RunDetail>(initial)
  const [logs, setLogs] = useState<RunLog[]>([])
  const [connection, setConnection] = useState<Connection>('connecting')
  const [error, setError] = useState<string | null>(null)
  const [generation, setGeneration] = useState(0)
  const seen = useRef(new Set<number>())

  useEffect(() => {
    setConnection('connecting')
    setError(null)
    const subscription = trpc.runs.watch.subscribe(
      { id: initial.id },
      {
        onStarted: () => setConnection('live'),
        onData: (event) => {
          setConnection('live')
          setRun(event.data.run)
          // a reconnect replays lines from the start: keep each id once
          const fresh = event.data.logs.filter((line) => !seen.current.has(line.id))
          if (fresh.length === 0) return
          for (const line of fresh) seen.current.add(line.id)
          setLogs((old) => {
            const next = [...old, ...fresh]
            return next.length > maxLogs ? next.slice(next.length - maxLogs) : next
          })
        },
        onError: (e) => {
          setConnection('error')
          setError(errorMessage(e))
        },
        onComplete: () => setConnection('ended'),
      },
    )
    return () => subscription.unsubscribe()
  }, [initial.id, generation])

  const restart = useCallback(() => setGeneration((g) => g + 1), [])
  return { run, logs, connection, error, restart }
}
