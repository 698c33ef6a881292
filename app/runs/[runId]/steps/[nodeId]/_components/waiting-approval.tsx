'use client'
import { Check, Hourglass, X } from 'lucide-react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { Alert } from '@/app/_components/alert'
import { formatDateTime } from '@/app/_components/format'
import type { ApiErrorBody } from '@/app/_lib/post-json'

export interface WaitingApprovalProps {
  runId: string
  nodeId: string
  /** what the step will do once approved, in words */
  summary: string
  since: string
  /** when the step fails if nobody has decided */
  expiresAt: string
  canDecide: boolean
  /** the deployments the change touches, with what each serves now (null: not created yet) */
  deployments?: { name: string; serving: { model: string; versions: { version: number; role: string; weight: number }[] } | null }[]
}

/** A step waiting for a person: what it will do, and (operators, engineers) Approve / Reject. */
export function WaitingApproval(props: WaitingApprovalProps) {
  return (
    <section className="card mb-6 space-y-3 p-4" data-testid="waiting-approval">
      <p className="flex items-center gap-2 text-base font-semibold text-zinc-900">
        <Hourglass className="size-4 text-amber-600" aria-hidden /> Waiting for approval
      </p>
      <p className="text-sm text-zinc-800">{props.summary}</p>
      {props.deployments?.map((d) => <ServingNow key={d.name} {...d} />)}
      <p className="text-sm text-zinc-600">
        Asked {formatDateTime(props.since)}. No worker is held while this step waits; nothing changes until someone decides. If nobody has by{' '}
        <span data-testid="approval-expires">{formatDateTime(props.expiresAt)}</span>, the step fails and so does the run.
      </p>
      {props.canDecide ? <Decide {...props} /> : <p className="text-sm text-zinc-500">An operator can approve or reject this here.</p>}
    </section>
  )
}

/** What answers today, so the change above can be read against it. */
function ServingNow({ name, serving }: NonNullable<WaitingApprovalProps['deployments']>[number]) {
  return (
    <p className="text-sm text-zinc-700" data-testid="serving-now">
      {serving ? (
        <>
          Serving now:{' '}
          <Link href={`/deployments/${encodeURIComponent(name)}`} className="link font-mono">
            {name}
          </Link>{' '}
          answers with {serving.versions.map((v) => `v${v.version} ${v.role} ${v.weight}%`).join(', ')} of <span className="font-mono">{serving.model}</span>.
        </>
      ) : (
        <>
          <span className="font-mono">{name}</span> does not exist yet: approving creates it, serving this version alone.
        </>
      )}
    </p>
  )
}

function Decide({ runId, nodeId }: WaitingApprovalProps) {
  const router = useRouter()
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(decision)
    setError(null)
    const body = decision === 'reject' && reason.trim() ? { reason: reason.trim() } : {}
    const response = await fetch(`/api/v1/runs/${runId}/steps/${encodeURIComponent(nodeId)}/${decision}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).catch(() => null)
    if (response?.ok) return router.refresh()
    const answer = (await response?.json().catch(() => ({}))) as ApiErrorBody | undefined
    setBusy(null)
    setError(answer?.error ?? 'Could not reach the server. Is it running?')
  }
  return (
    <div className="space-y-3" data-testid="approval-decision">
      <label className="block text-sm">
        <span className="text-zinc-600">Reason (shown on the step when rejected)</span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} rows={2} className="mt-1 w-full rounded-md border border-zinc-300 px-2 py-1 text-sm" />
      </label>
      <div className="flex flex-wrap gap-3">
        <button type="button" className="btn-primary" disabled={busy !== null} onClick={() => void decide('approve')}>
          <Check className="size-4" aria-hidden /> {busy === 'approve' ? 'Deploying…' : 'Approve'}
        </button>
        <button type="button" className="btn-secondary" disabled={busy !== null} onClick={() => void decide('reject')}>
          <X className="size-4" aria-hidden /> {busy === 'reject' ? 'Rejecting…' : 'Reject'}
        </button>
      </div>
      {error ? (
        <Alert className="w-full" title="The decision was not taken">
          {error}
        </Alert>
      ) : null}
    </div>
  )
}
