'use client'
import { RotateCcw, Square } from 'lucide-react'
import { useState } from 'react'
import { errorMessage } from '@/app/_components/alert'
import { trpc } from '@/app/_lib/trpc'

/** Cancel while the run may still change; Retry once it failed or was canceled. */
export function RunActions({ runId, status, onChanged }: { runId: string; status: string; onChanged: () => void }) {
  const [busy, setBusy] = useState<'cancel' | 'retry' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const cancellable = status === 'queued' || status === 'running' || status === 'waiting'
  const retryable = status === 'failed' || status === 'canceled'

  async function act(kind: 'cancel' | 'retry') {
    if (kind === 'cancel' && !window.confirm('Cancel this run? Steps that are running are stopped.')) return
    setBusy(kind)
    setError(null)
    try {
      if (kind === 'cancel') await trpc.runs.cancel.mutate({ id: runId })
      else await trpc.runs.retry.mutate({ id: runId })
      onChanged()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }

  if (!cancellable && !retryable) return null
  return (
    <div className="flex flex-col items-end gap-1">
      {cancellable ? (
        <button type="button" className="btn-danger" onClick={() => act('cancel')} disabled={busy !== null} data-testid="cancel-run">
          <Square className="size-3.5" aria-hidden />
          {busy === 'cancel' ? 'Canceling…' : 'Cancel run'}
        </button>
      ) : (
        <button type="button" className="btn-primary" onClick={() => act('retry')} disabled={busy !== null} data-testid="retry-run">
          <RotateCcw className="size-3.5" aria-hidden />
          {busy === 'retry' ? 'Retrying…' : status === 'canceled' ? 'Retry canceled steps' : 'Retry failed steps'}
        </button>
      )}
      {error ? (
        <p role="alert" className="max-w-xs text-right text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  )
}
