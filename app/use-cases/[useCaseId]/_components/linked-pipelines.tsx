'use client'
import { Unlink } from 'lucide-react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { StatusBadge } from '@/app/_components/status-badge'
import { TimeAgo } from '@/app/_components/time-ago'
import { sendJson } from '@/app/_lib/post-json'

interface Linked {
  id: string
  name: string
  lastRun: { id: string; status: string; version: number; at: Date | string } | null
}

/** The pipelines that realise the use case, each with its newest run; PMs link and unlink them. */
export function LinkedPipelines({ useCaseId, linked, available, canEdit }: { useCaseId: string; linked: Linked[]; available: { id: string; name: string }[]; canEdit: boolean }) {
  const router = useRouter()
  const [choice, setChoice] = useState('')
  const [error, setError] = useState<string | null>(null)
  const linkable = available.filter((p) => !linked.some((l) => l.id === p.id))

  const change = async (method: 'POST' | 'DELETE', pipelineId: string) => {
    const url = `/api/v1/use-cases/${useCaseId}/pipelines${method === 'DELETE' ? `/${pipelineId}` : ''}`
    const result = await sendJson(method, url, method === 'POST' ? { pipelineId } : undefined)
    if (!result.ok) return setError(result.error)
    setError(null)
    setChoice('')
    router.refresh()
  }

  return (
    <div className="space-y-3 p-4 text-sm">
      {linked.length === 0 ? <p className="text-zinc-500">No pipeline realises this use case yet. Deployments and their health will appear here once they exist.</p> : null}
      <ul className="divide-y divide-zinc-100" data-testid="linked-pipelines">
        {linked.map((p) => (
          <li key={p.id} className="flex items-center gap-3 py-1.5">
            <Link className="link font-medium" href={`/pipelines/${p.id}`}>{p.name}</Link>
            {p.lastRun ? (
              <Link href={`/runs/${p.lastRun.id}`} className="flex items-center gap-1.5 text-xs text-zinc-500">
                <StatusBadge status={p.lastRun.status} /> v{p.lastRun.version} <TimeAgo date={new Date(p.lastRun.at)} />
              </Link>
            ) : (
              <span className="text-xs text-zinc-400">never run</span>
            )}
            {canEdit ? (
              <button type="button" className="ml-auto text-zinc-400 hover:text-red-600" title={`Unlink ${p.name}`} aria-label={`Unlink ${p.name}`} onClick={() => void change('DELETE', p.id)}>
                <Unlink className="size-4" aria-hidden />
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit ? (
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault()
            if (choice) void change('POST', choice)
          }}
        >
          <select className="input" value={choice} onChange={(e) => setChoice(e.target.value)} aria-label="Pipeline to link" data-testid="link-pipeline-select">
            <option value="">{linkable.length ? 'Choose a pipeline…' : 'No other pipelines'}</option>
            {linkable.map((p) => (
              <option key={p.id} value={p.id}>{p.name}</option>
            ))}
          </select>
          <button type="submit" className="btn-secondary" disabled={!choice} data-testid="link-pipeline">Link</button>
        </form>
      ) : null}
      {error ? <p role="alert" className="text-red-700">{error}</p> : null}
    </div>
  )
}
