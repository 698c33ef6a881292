'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { sendJson } from '@/app/_lib/post-json'

/** The PM sets the severity that counts, with a reason, or goes back to the ratings. */
export function SeverityOverride({ useCaseId, current }: { useCaseId: string; current: { severity: number; reason: string | null } | null }) {
  const router = useRouter()
  const [open, setOpen] = useState(false)
  const [severity, setSeverity] = useState(String(current?.severity ?? 5))
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)

  const send = async (method: 'PUT' | 'DELETE') => {
    const body = method === 'PUT' ? { severity: Number(severity), reason } : undefined
    const result = await sendJson(method, `/api/v1/use-cases/${useCaseId}/severity-override`, body)
    if (!result.ok) return setError(result.error)
    setError(null)
    setOpen(false)
    setReason('')
    router.refresh()
  }

  if (!open) {
    return (
      <div className="flex gap-2">
        <button type="button" className="btn-secondary px-2 py-1 text-xs" onClick={() => setOpen(true)} data-testid="override-open">
          {current ? 'Change override' : 'Override severity'}
        </button>
        {current ? (
          <button type="button" className="btn-secondary px-2 py-1 text-xs" onClick={() => void send('DELETE')} data-testid="override-remove">
            Use the ratings again
          </button>
        ) : null}
      </div>
    )
  }
  return (
    <form
      className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3"
      onSubmit={(e) => {
        e.preventDefault()
        void send('PUT')
      }}
    >
      <p className="text-xs text-amber-900">The severity you set counts instead of the ratings&apos; median. Ratings stay visible; the reason is kept in the history.</p>
      <div className="flex flex-wrap items-end gap-2">
        <label className="text-sm">
          Severity{' '}
          <select className="input w-20" value={severity} onChange={(e) => setSeverity(e.target.value)} data-testid="override-severity">
            {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <input className="input min-w-60 flex-1" placeholder="Why? (required)" aria-label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="override-reason" />
        <button type="submit" className="btn-primary" data-testid="override-save">Override</button>
        <button type="button" className="btn-secondary" onClick={() => setOpen(false)}>Cancel</button>
      </div>
      {error ? <p role="alert" className="text-sm text-red-700" data-testid="override-error">{error}</p> : null}
    </form>
  )
}
