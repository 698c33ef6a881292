'use client'
import { FileUp } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { Alert } from '@/app/_components/alert'
import { Field } from '@/app/_components/field'
import type { ApiErrorBody } from '@/app/_lib/post-json'

type ImportResult = { ok: true; name: string; version: number } | { ok: false; error: string }

/** Sends the file as the import route takes it: the raw bytes as the body, the labels in the query. */
async function importFile(name: string, file: File, labels: string): Promise<ImportResult> {
  const query = labels.trim() ? `?${new URLSearchParams({ labels: labels.trim() })}` : ''
  let response: Response
  try {
    response = await fetch(`/api/v1/models/${encodeURIComponent(name)}/versions${query}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file })
  } catch {
    return { ok: false, error: 'Could not reach the server. Is it running?' }
  }
  const body = (await response.json().catch(() => ({}))) as ApiErrorBody & { name?: string; version?: number }
  if (response.ok && body.name && body.version) return { ok: true, name: body.name, version: body.version }
  const issues = (body.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message))
  return { ok: false, error: [body.error ?? `The server answered ${response.status}.`, ...issues.filter((i) => !body.error?.includes(i))].join(' ') }
}

/** "Import ONNX": a model trained elsewhere becomes the next version of a named model, then its card opens. */
export function ImportModel() {
  const router = useRouter()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const name = String(form.get('name') ?? '').trim()
    const file = form.get('file')
    // an empty file is sent all the same: the route's answer says what is wrong with it
    if (!(file instanceof File) || file.name === '') return setError('Choose an ONNX file (.onnx) to import.')
    setBusy(true)
    setError(null)
    const result = await importFile(name, file, String(form.get('labels') ?? ''))
    if (result.ok) return router.push(`/models/${result.name}/versions/${result.version}`)
    setBusy(false)
    setError(result.error)
  }

  const close = () => {
    setOpen(false)
    setError(null)
  }

  return (
    <div className="relative">
      <button type="button" className="btn-primary" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="import-open">
        <FileUp className="size-4" aria-hidden /> Import ONNX
      </button>
      {open ? <ImportForm busy={busy} error={error} onSubmit={submit} onCancel={close} /> : null}
    </div>
  )
}

/** A panel under the button, so the list stays where it was while someone fills it in. */
function ImportForm({ busy, error, onSubmit, onCancel }: { busy: boolean; error: string | null; onSubmit: (event: FormEvent<HTMLFormElement>) => void; onCancel: () => void }) {
  return (
    <form onSubmit={onSubmit} className="card absolute top-full right-0 z-20 mt-2 w-[28rem] max-w-[calc(100vw-2rem)] space-y-4 p-4 shadow-lg" data-testid="import-form" aria-label="Import an ONNX model">
      <p className="text-sm text-zinc-600">The file is checked before anything is stored: its signature is read and it is loaded once in ONNX Runtime.</p>
      <Field
        id="import-name"
        name="name"
        label="Model name"
        required
        placeholder="e.g. churn-classifier"
        maxLength={100}
        hint="Lower-case letters, digits and “-”. An existing name gets its next version."
      />
      <div>
        <label htmlFor="import-file" className="mb-1 block text-sm font-medium text-zinc-700">
          ONNX file
        </label>
        <input
          id="import-file"
          name="file"
          type="file"
          accept=".onnx,application/onnx,application/octet-stream"
          required
          className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm"
        />
      </div>
      <Field
        id="import-labels"
        name="labels"
        label="Class labels (optional)"
        placeholder="Adelie, Chinstrap, Gentoo"
        hint="For a classifier: one name per class, comma-separated, in the order of its probabilities output."
      />
      {error ? (
        <Alert title="Not imported" testId="import-error">
          {error}
        </Alert>
      ) : null}
      <div className="flex justify-end gap-2">
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" disabled={busy} data-testid="import-submit">
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
    </form>
  )
}
