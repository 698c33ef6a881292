'use client'
import { KeyRound, X } from 'lucide-react'
import { useEffect, useState } from 'react'
import { CopyButton } from '@/app/_components/copy-button'

/** The freshly created token, shown this once, with a curl line that uses it. */
export function NewToken({ name, token, onDismiss }: { name: string; token: string; onDismiss: () => void }) {
  const [origin, setOrigin] = useState('http://localhost:3000')
  useEffect(() => setOrigin(window.location.origin), [])
  const curl = `curl -H "Authorization: Bearer ${token}" ${origin}/api/v1/pipelines`
  return (
    <div className="rounded-lg border border-green-200 bg-green-50 p-4" data-testid="new-token">
      <div className="flex items-start justify-between gap-2">
        <p className="flex items-center gap-2 font-medium text-green-900">
          <KeyRound className="size-4" aria-hidden />
          Token “{name}” created. Copy it now: it will not be shown again.
        </p>
        <button type="button" onClick={onDismiss} className="rounded p-1 text-green-800 hover:bg-green-100" aria-label="Hide the token">
          <X className="size-4" />
        </button>
      </div>
      <div className="mt-3 flex items-center gap-2">
        <code className="min-w-0 flex-1 truncate rounded-md border border-green-200 bg-white px-3 py-2 font-mono text-sm" data-testid="new-token-value">
          {token}
        </code>
        <CopyButton value={token} />
      </div>
      <p className="mt-3 mb-1 text-xs font-medium tracking-wide text-green-900/70 uppercase">Try it</p>
      <div className="flex items-start gap-2">
        <pre className="min-w-0 flex-1 rounded-md bg-zinc-950 px-3 py-2 font-mono text-xs break-all whitespace-pre-wrap text-zinc-100" data-testid="token-curl">{curl}</pre>
        <CopyButton value={curl} />
      </div>
    </div>
  )
}
