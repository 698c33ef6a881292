'use client'
import { Rocket } from 'lucide-react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { Alert } from '@/app/_components/alert'
import { postJson } from '@/app/_lib/post-json'

/**
 * Serves this version under a new deployment name (`POST /api/v1/deployments`), then opens the
 * deployment's page. Rolling a version out to an existing deployment happens on that page.
 */
export function DeployForm({ model, version, existing }: { model: string; version: number; existing: { name: string; stableVersion: number }[] }) {
  const router = useRouter()
  const [name, setName] = useState(model)
  const [isPublic, setPublic] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    const created = await postJson<{ name: string }>('/api/v1/deployments', { name: name.trim(), model, version, public: isPublic })
    if (!created.ok) {
      setBusy(false)
      return setError(created.fieldErrors.name ? `Deployment name ${created.fieldErrors.name}` : created.error)
    }
    router.push(`/deployments/${created.data.name}`)
  }

  return (
    <form onSubmit={submit} className="space-y-2" aria-label="Deploy this version" data-testid="deploy-form">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="deploy-name" className="text-sm text-zinc-600">
          Serve v{version} as
        </label>
        <input id="deploy-name" value={name} onChange={(e) => setName(e.target.value)} className="input w-44 py-1.5 font-mono" required maxLength={100} data-testid="deploy-name" />
        <label className="flex items-center gap-1.5 text-sm text-zinc-600">
          <input type="checkbox" checked={isPublic} onChange={(e) => setPublic(e.target.checked)} data-testid="deploy-public" /> public
        </label>
        <button type="submit" className="btn-primary" disabled={busy || !name.trim()} data-testid="deploy-submit">
          <Rocket className="size-4" aria-hidden /> {busy ? 'Deploying…' : 'Deploy'}
        </button>
      </div>
      <p className="text-xs text-zinc-500">
        A new deployment with its own endpoint; public ones answer without a token.
        {existing.length > 0 ? (
          <>
            {' '}
            Already deployed: {existing.map((d, i) => (
              <span key={d.name}>
                {i > 0 ? ', ' : ''}
                <Link href={`/deployments/${d.name}`} className="link font-mono">{d.name}</Link> (v{d.stableVersion})
              </span>
            ))}
            . To move one of those to this version, roll it out on its page.
          </>
        ) : null}
      </p>
      {error ? (
        <Alert tone="error" testId="deploy-error">
          {error}
        </Alert>
      ) : null}
    </form>
  )
}
