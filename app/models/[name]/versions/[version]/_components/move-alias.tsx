'use client'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { Alert } from '@/app/_components/alert'
import { sendJson } from '@/app/_lib/post-json'

const suggested = ['champion', 'challenger']

/**
 * Points an alias at this version through the REST route (`PUT /api/v1/models/{name}/aliases/{alias}`),
 * so a move from the browser is checked and audited exactly as one from a script.
 */
export function MoveAlias({ name, version, aliases }: { name: string; version: number; aliases: Record<string, number> }) {
  const router = useRouter()
  const [alias, setAlias] = useState('champion')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const options = [...new Set([...suggested, ...Object.keys(aliases)])]
  const chosen = alias.trim()
  const current = aliases[chosen]

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setResult(null)
    const moved = await sendJson<{ from: number | null; to: number }>('PUT', `/api/v1/models/${encodeURIComponent(name)}/aliases/${encodeURIComponent(chosen)}`, { version })
    setBusy(false)
    if (!moved.ok) return setResult({ ok: false, text: moved.error })
    setResult({ ok: true, text: moved.data.from === null ? `${chosen} now points at v${version}.` : `${chosen} moved from v${moved.data.from} to v${version}.` })
    router.refresh()
  }

  return (
    <form onSubmit={submit} className="space-y-2" aria-label="Move an alias" data-testid="move-alias">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="alias-name" className="text-sm text-zinc-600">
          Point
        </label>
        <input id="alias-name" list="alias-options" value={alias} onChange={(e) => setAlias(e.target.value)} className="input w-40 py-1.5 font-mono" required maxLength={100} data-testid="alias-name" />
        <datalist id="alias-options">
          {options.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
        <span className="text-sm text-zinc-600">at v{version}</span>
        <button type="submit" className="btn-primary" disabled={busy || !chosen || current === version} data-testid="alias-move">
          {busy ? 'Moving…' : chosen === 'champion' && current !== version ? 'Promote to champion' : 'Move alias'}
        </button>
      </div>
      <p className="text-xs text-zinc-500">
        {current === version
          ? `${chosen} already points at this version.`
          : current !== undefined
            ? `${chosen} points at v${current} now; the move is recorded in the audit log.`
            : chosen
              ? `${chosen} is new for this model; the move is recorded in the audit log.`
              : 'Name an alias: lower-case letters, digits and “-”.'}
      </p>
      {result ? (
        <Alert tone={result.ok ? 'success' : 'error'} testId="alias-result">
          {result.text}
        </Alert>
      ) : null}
    </form>
  )
}
