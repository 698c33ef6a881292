'use client'
import { Plus } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { errorMessage } from '@/app/_components/alert'
import { trpc } from '@/app/_lib/trpc'

/** Names and creates an empty pipeline, then opens it on the canvas. */
export function NewPipeline() {
  const router = useRouter()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const create = async () => {
    setBusy(true)
    setError(null)
    try {
      const { id } = await trpc.pipelines.create.mutate({ name: name.trim() })
      router.push(`/pipelines/${id}`)
    } catch (e) {
      setError(errorMessage(e))
      setBusy(false)
    }
  }

  if (!open) {
    return (
      <button type="button" className="btn-primary" onClick={() => setOpen(true)} data-testid="new-pipeline">
        <Plus className="size-4" aria-hidden /> New pipeline
      </button>
    )
  }
  return (
    <form
      className="flex flex-col items-end gap-1"
      onSubmit={(e) => {
        e.preventDefault()
        void create()
      }}
    >
      <div className="flex items-center gap-2">
        <label htmlFor="new-pipeline-name" className="sr-only">
          Pipeline name
        </label>
        <input
          id="new-pipeline-name"
          data-testid="new-pipeline-name"
          autoFocus
          className="input w-64"
          placeholder="e.g. churn-features"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={!!error}
          aria-describedby="new-pipeline-help"
        />
        <button type="submit" className="btn-primary" disabled={busy || !name.trim()} data-testid="create-pipeline">
          Create
        </button>
        <button type="button" className="btn-secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      <p id="new-pipeline-help" className={error ? 'text-sm text-red-600' : 'text-xs text-zinc-500'} role={error ? 'alert' : undefined}>
        {error ?? 'Lower-case letters, digits and "-".'}
      </p>
    </form>
  )
}
