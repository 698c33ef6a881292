'use client'
import { useState, type FormEvent } from 'react'
import { Alert, errorMessage } from '@/app/_components/alert'
import { ConfirmButton } from '@/app/_components/confirm-button'
import { EmptyState } from '@/app/_components/empty-state'
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
}

export function TokensManager({ initial }: { initial: TokenRow[] }) {
  const [tokens, setTokens] = useState(initial)
  const [name, setName] = useState('')
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
      const result = await trpc.tokens.create.mutate({ name })
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
            <TableHead cells={[{ label: 'Name' }, { label: 'Token' }, { label: 'Created' }, { label: 'Last used' }, {}]} />
            <tbody className="divide-y divide-zinc-100">
              {tokens.map((token) => (
                <tr key={token.id} data-testid={`token-${token.name}`}>
                  <td className="px-4 py-2.5 font-medium whitespace-nowrap text-zinc-900">{token.name}</td>
                  <td className="px-4 py-2.5 font-mono text-xs whitespace-nowrap text-zinc-600">{token.prefix}…</td>
                  <td className="px-4 py-2.5 whitespace-nowrap text-zinc-600">
                    <TimeAgo date={token.createdAt} />
                  </td>
                  <td className="px-4 py-2.5 whitespace-nowrap text-zinc-600">
                    {token.lastUsedAt ? <TimeAgo date={token.lastUsedAt} /> : <span className="text-zinc-400">never</span>}
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
