'use client'
import { Play } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { errorMessage } from '@/app/_components/alert'
import { trpc } from '@/app/_lib/trpc'

/** Starts a run of the head version and opens it. */
export function RunButton({ pipelineId }: { pipelineId: string }) {
  const router = useRouter()
  const [noCache, setNoCache] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function start() {
    setBusy(true)
    setError(null)
    try {
      const { runId } = await trpc.runs.start.mutate({ pipelineId, noCache })
      router.push(`/runs/${runId}`)
    } catch (e) {
      setError(errorMessage(e))
      setBusy(false)
    }
  }

  return (
    <div className="flex flex-col items-end gap-1.5">
      <div className="flex items-center gap-3">
        <label className="flex cursor-pointer items-center gap-1.5 text-sm text-zinc-600 select-none">
          <input
            type="checkbox"
            checked={noCache}
            onChange={(e) => setNoCache(e.target.checked)}
            className="size-4 rounded border-zinc-300 accent-accent-600"
            data-testid="ignore-cache"
          />
          Ignore cache
        </label>
        <button type="button" onClick={start} disabled={busy} className="btn-primary" data-testid="run-pipeline">
          <Play className="size-4" aria-hidden />
          {busy ? 'Starting…' : 'Run'}
        </button>
      </div>
      {error ? (
        <p role="alert" className="max-w-sm text-right text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  )
}
