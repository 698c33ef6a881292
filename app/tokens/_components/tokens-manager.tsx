'use client'
import { useState, type FormEvent } from 'react'
import { Alert, errorMessage } from '@/app/_components/alert'
import { ConfirmButton } from '@/app/_components/confirm-button'
import { EmptyState } from '@/app/_components/empty-state'
import { formatDate, formatDateTime } from '@/app/_components/format'
import { TimeAgo } from '@/app/_components/time-ago'
import { trpc } from '@/app/_lib/trpc'
import { NewToken } from './new-token'
import { TableHead } from '@/app/_components/table-head'

export interface TokenRow {
  id: string
  name: string
  prefix: string
  createdAt: Date
  lastUsedAt: Date | null
  expiresAt: Date | null
  scope: 'full' | 'infer'
  deployments: string[] | null
  ratePerSecond: number | null
}

/** The choices offered (the API takes any 1–3650 days); 90 days is preselected, as a sensible middle. */
const expiryChoices = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
] as const

export function TokensManager({ initial }: { initial: TokenRow[] }) {
  const [tokens, setTokens] = useState(initial)
  const [name, setName] = useState('')
  const [expiry, setExpiry] = useState<string>('90')
  const [scope, setScope] = useState<'full' | 'infer'>('full')
  const [deployments, setDeployments] = useState('')
  const [rate, setRate] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null)

  async function refresh() {
    setTokens(await trpc.tokens.list.query())
  }

  async function create(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const infer = scope === 'infer' ? { deployments: deployments.split(',').map((d) => d.trim()).filter(Boolean), ratePerSecond: rate ? Number(rate) : null } : undefined
      const result = await trpc.tokens.create.mutate({ name, expiresInDays: expiry === 'never' ? null : Number(expiry), ...(infer ? { infer } : {}) })
      setCreated({ name: name.trim(), token: result.token })
      setName('')
      await refresh()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  async function revoke(id: string) {
    setError(null)
    try {
      await trpc.tokens.revoke.mutate({ id })
      await refresh()
    } catch (e) {
      setError(errorMessage(e))
    }
  }

  return (
    <div className="max-w-4xl space-y-6">
      <form onSubmit={create} className="card flex flex-wrap items-end gap-3 p-4">
        <div className="min-w-64 flex-1">
          <label htmlFor="token-name" className="mb-1 block text-sm font-medium text-zinc-700">
            New token
          </label>
          <input
            id="token-name"
            className="input"
            placeholder="What is it for? e.g. “ci-nightly”"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            data-testid="token-name"
          />
        </div>
        <div>
          <label htmlFor="token-expiry" className="mb-1 block text-sm font-medium text-zinc-700">
            Expires after
          </label>
          <select id="token-expiry" className="input" value={expiry} onChange={(e) => setExpiry(e.target.value)} data-testid="token-expiry">
            {expiryChoices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="token-scope" className="mb-1 block text-sm font-medium text-zinc-700">
            May call
          </label>
          <select id="token-scope" className="input" value={scope} onChange={(e) => setScope(e.target.value as 'full' | 'infer')} data-testid="token-scope">
            <option value="full">everything you may</option>
            <option value="infer">only inference, of named deployments</option>
          </select>
        </div>
        {scope === 'infer' ? (
          <>
            <div className="min-w-48">
              <label htmlFor="token-deployments" className="mb-1 block text-sm font-medium text-zinc-700">
                Deployments
              </label>
              <input id="token-deployments" className="input" placeholder="e.g. sizes, surface-inspection" value={deployments} onChange={(e) => setDeployments(e.target.value)} data-testid="token-deployments" />
            </div>
            <div className="w-32">
              <label htmlFor="token-rate" className="mb-1 block text-sm font-medium text-zinc-700">
                Requests/s
              </label>
              <input id="token-rate" className="input" type="number" min={1} placeholder="default" value={rate} onChange={(e) => setRate(e.target.value)} data-testid="token-rate" />
            </div>
          </>
        ) : null}
        <button type="submit" className="btn-primary py-2" disabled={busy || name.trim() === ''} data-testid="create-token">
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </form>

      {error ? <Alert testId="form-error">{error}</Alert> : null}
      {created ? <NewToken name={created.name} token={created.token} onDismiss={() => setCreated(null)} /> : null}

      {tokens.length === 0 ? (
        <EmptyState title="No tokens">Create one above to call the API from a script.</EmptyState>
      ) : (
        <div className="card overflow-hidden">
          <table className="w-full text-sm" data-testid="tokens-table">
            <TableHead cells={[{ label: 'Name' }, { label: 'Token' }, { label: 'Created' }, { label: 'Last used' }, { label: 'Expires' }, {}]} />
            <tbody className="divide-y divide-zinc-100">
              {tokens.map((token) => (
                <tr key={token.id} data-testid={`token-${token.name}`} data-expired={isExpired(token) ? 'true' : undefined} className={isExpired(token) ? 'bg-zinc-50' : undefined}>
                  <td className="px-4 py-2.5 font-medium whitespace-nowrap text-zinc-900">
                    {token.name}
                    {token.scope === 'infer' ? (
                      <span className="ml-2 text-xs font-normal text-zinc-500" data-testid="token-scope-note">
                        inference: {(token.deployments ?? []).join(', ')}
                        {token.ratePerSecond ? ` · ${token.ratePerSecond}/s` : ''}
                      </span>
                    ) : null}
                  </td>
                  <td className="px-4 py-2.5 font-mono text-xs whitespace-nowrap text-zinc-600">{token.prefix}…</td>
                  <td className="px-4 py-2.5 whitespace-nowrap text-zinc-600">
                    <TimeAgo date={token.createdAt} />
                  </td>
                  <td className="px-4 py-2.5 whitespace-nowrap text-zinc-600">
                    {token.lastUsedAt ? <TimeAgo date={token.lastUsedAt} /> : <span className="text-zinc-400">never</span>}
                  </td>
                  <td className="px-4 py-2.5 whitespace-nowrap text-zinc-600" data-testid="token-expires">
                    <Expiry expiresAt={token.expiresAt} />
                  </td>
                  <td className="w-0 px-4 py-2.5 text-right whitespace-nowrap">
                    <ConfirmButton
                      verb="Revoke"
                      busyText="Revoking…"
                      question={`Revoke “${token.name}”?`}
                      consequence="Scripts using it stop working at once."
                      onConfirm={() => revoke(token.id)}
                      testIds={{ start: 'revoke-token', confirm: 'confirm-revoke' }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

const isExpired = (token: TokenRow) => token.expiresAt !== null && new Date(token.expiresAt).getTime() <= Date.now()

function DateOnly({ date }: { date: Date }) {
  const parsed = new Date(date)
  return (
    <time dateTime={parsed.toISOString()} title={formatDateTime(parsed)} suppressHydrationWarning>
      {formatDate(parsed)}
    </time>
  )
}

/** "never", the date it stops working, or a red "expired" badge with the date it did. */
function Expiry({ expiresAt }: { expiresAt: Date | null }) {
  if (!expiresAt) return <span className="text-zinc-400">never</span>
  const expired = new Date(expiresAt).getTime() <= Date.now()
  return expired ? (
    <span className="inline-flex items-center gap-2">
      <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-200">expired</span>
      <DateOnly date={expiresAt} />
    </span>
  ) : (
    <DateOnly date={expiresAt} />
  )
}
