'use client'
import { Link2 } from 'lucide-react'
import Link from 'next/link'
import { useState } from 'react'
import { CopyButton } from '@/app/_components/copy-button'
import { postJson } from '@/app/_lib/post-json'

/**
 * Makes a one-time rating link for someone without an account: for one use case, or (without
 * `useCaseId`) for every open one. The link is shown once, to copy and send.
 */
export function InviteForm({ useCaseId }: { useCaseId?: string }) {
  const [open, setOpen] = useState(false)
  const [raterName, setRaterName] = useState('')
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null)
  const [error, setError] = useState<string | null>(null)

  const submit = async () => {
    const result = await postJson<{ url: string; expiresAt: string }>('/api/v1/use-cases/invites', { raterName, useCaseId: useCaseId ?? null })
    if (!result.ok) return setError(result.fieldErrors.raterName ? `Name ${result.fieldErrors.raterName}` : result.error)
    setError(null)
    setLink(result.data)
  }

  if (!open) {
    return (
      <button type="button" className="btn-secondary" onClick={() => setOpen(true)} data-testid="invite-open">
        <Link2 className="size-4" aria-hidden /> Invite a rater
      </button>
    )
  }
  return (
    <div className="w-full max-w-md space-y-2 rounded-md border border-zinc-200 bg-white p-3 text-sm shadow-sm">
      {link ? (
        <>
          <p>
            Send this link to <b>{raterName}</b>. It works once, without an account, until {new Date(link.expiresAt).toLocaleDateString('en-GB', { dateStyle: 'long' })}:
          </p>
          <div className="flex items-center gap-2">
            <input readOnly className="input font-mono text-xs" value={link.url} aria-label="Rating link" data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton value={link.url} />
          </div>
          <button type="button" className="link text-xs" onClick={() => { setLink(null); setRaterName('') }}>Invite someone else</button>
        </>
      ) : (
        <form
          className="flex items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          <input className="input" placeholder="Rater's name, e.g. Dana (plant manager)" aria-label="Rater's name" value={raterName} onChange={(e) => setRaterName(e.target.value)} data-testid="invite-name" />
          <button type="submit" className="btn-primary whitespace-nowrap" data-testid="invite-create">Make link</button>
        </form>
      )}
      {error ? <p role="alert" className="text-red-700">{error}</p> : null}
      <p className="text-xs text-zinc-500">
        {useCaseId ? 'The link asks to rate this use case only.' : 'The link asks to rate every use case that is not retired; the rater may skip some.'}{' '}
        <Link href="/use-cases/invites" className="link">All rating links</Link>
      </p>
    </div>
  )
}
