'use client'
import clsx from 'clsx'
import { useState } from 'react'
import { Alert } from '@/app/_components/alert'
import { postJson } from '@/app/_lib/post-json'

interface ToRate {
  id: string
  title: string
  problem: string
  affectedProcess: string
  businessOwner: string
}

const scale = Array.from({ length: 10 }, (_, i) => i + 1)

/** One row of 1–10 buttons per use case; unrated ones are skipped. Sends everything at once. */
export function RatingLinkForm({ token, useCases }: { token: string; useCases: ToRate[] }) {
  const [severity, setSeverity] = useState<Record<string, number>>({})
  const [comment, setComment] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<number | null>(null)
  const rated = Object.keys(severity)

  const submit = async () => {
    const ratings = rated.map((useCaseId) => ({ useCaseId, severity: severity[useCaseId], comment: comment[useCaseId] ?? '' }))
    const result = await postJson<{ rated: number }>(`/api/v1/rate/${encodeURIComponent(token)}`, { ratings })
    if (result.ok) return setDone(result.data.rated)
    setError(result.error)
  }

  if (done !== null) {
    return <Alert tone="success">Thank you: {done === 1 ? 'your rating is' : `your ${done} ratings are`} in. You can close this page.</Alert>
  }
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      {useCases.map((u) => (
        <fieldset key={u.id} className="card space-y-3 p-4" data-testid="rate-item">
          <legend className="sr-only">{u.title}</legend>
          <div>
            <h2 className="font-semibold text-zinc-900">{u.title}</h2>
            {u.problem ? <p className="text-sm text-zinc-600">{u.problem}</p> : null}
            {u.affectedProcess || u.businessOwner ? <p className="text-xs text-zinc-500">{[u.affectedProcess, u.businessOwner].filter(Boolean).join(' · ')}</p> : null}
          </div>
          <div className="flex flex-wrap gap-1" role="radiogroup" aria-label={`Severity of ${u.title}`}>
            {scale.map((n) => (
              <button
                key={n}
                type="button"
                role="radio"
                aria-checked={severity[u.id] === n}
                className={clsx('size-9 rounded-md border text-sm font-medium', severity[u.id] === n ? 'border-accent-600 bg-accent-600 text-white' : 'border-zinc-300 bg-white hover:border-accent-500')}
                onClick={() => setSeverity((s) => ({ ...s, [u.id]: n }))}
              >
                {n}
              </button>
            ))}
            {severity[u.id] !== undefined ? (
              <button type="button" className="link ml-2 text-xs" onClick={() => setSeverity(({ [u.id]: _, ...rest }) => rest)}>
                skip
              </button>
            ) : null}
          </div>
          {severity[u.id] !== undefined ? (
            <input className="input" placeholder="Why? (optional)" aria-label={`Comment on ${u.title}`} maxLength={1000} value={comment[u.id] ?? ''} onChange={(e) => setComment((c) => ({ ...c, [u.id]: e.target.value }))} />
          ) : null}
        </fieldset>
      ))}
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={rated.length === 0} data-testid="rate-link-submit">
          Send {rated.length || ''} rating{rated.length === 1 ? '' : 's'}
        </button>
        <span className="text-sm text-zinc-500">{rated.length} of {useCases.length} rated</span>
      </div>
    </form>
  )
}
