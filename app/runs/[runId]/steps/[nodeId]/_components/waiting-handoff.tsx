'use client'
import { Hourglass, Upload } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { Alert } from '@/app/_components/alert'
import { formatDateTime } from '@/app/_components/format'
import type { ApiErrorBody } from '@/app/_lib/post-json'

export interface WaitingHandoffProps {
  runId: string
  nodeId: string
  mode: 'webhook' | 'command' | 'manual'
  expiresAt: string
  task: string | null
  label: string | null
  labels: string[]
  features: { name: string; kind: string }[]
  canUpload: boolean
}

const inputShape: Record<string, string> = { number: 'float32 [batch, 1]', category: 'string [batch, 1]', image: 'uint8 [batch, height, width, 3]' }

const modeInWords = { webhook: 'a training webhook', command: 'a command on the worker', manual: 'a person uploading it here' }

/** A train step that handed training off: what the model must be, until when, and (manual) the upload. */
export function WaitingHandoff(props: WaitingHandoffProps) {
  return (
    <section className="card mb-6 space-y-3 p-4" data-testid="waiting-handoff">
      <p className="flex items-center gap-2 text-base font-semibold text-zinc-900">
        <Hourglass className="size-4 text-amber-600" aria-hidden /> Waiting for the model from {modeInWords[props.mode]}
      </p>
      <p className="text-sm text-zinc-600">
        No worker is held while this step waits. It fails at {formatDateTime(props.expiresAt)} if no model has arrived by then.
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-zinc-500">Task</dt>
        <dd>{props.task ?? '—'} of “{props.label}”</dd>
        {props.labels.length > 0 ? (
          <>
            <dt className="text-zinc-500">Classes, in order</dt>
            <dd>{props.labels.join(', ')}</dd>
          </>
        ) : null}
        <dt className="text-zinc-500">Inputs</dt>
        <dd className="font-mono text-xs">{props.features.map((f) => `${f.name} (${inputShape[f.kind] ?? f.kind})`).join(', ')}</dd>
      </dl>
      {props.canUpload ? <UploadModel {...props} /> : <p className="text-sm text-zinc-500">An engineer can upload the model here.</p>}
    </section>
  )
}

function UploadModel({ runId, nodeId }: WaitingHandoffProps) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const file = new FormData(event.currentTarget).get('file')
    if (!(file instanceof File) || file.name === '') return setError('Choose the trained ONNX file (.onnx).')
    setBusy(true)
    setError(null)
    const response = await fetch(`/api/v1/runs/${runId}/steps/${encodeURIComponent(nodeId)}/model`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file }).catch(() => null)
    if (response?.ok) return router.refresh()
    const body = (await response?.json().catch(() => ({}))) as ApiErrorBody | undefined
    setBusy(false)
    setError(body?.error ?? 'Could not reach the server. Is it running?')
  }
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-3" data-testid="handoff-upload">
      <input type="file" name="file" accept=".onnx,application/octet-stream" className="text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm" aria-label="Trained ONNX model" />
      <button type="submit" className="btn-primary" disabled={busy}>
        <Upload className="size-4" aria-hidden /> {busy ? 'Checking…' : 'Upload model'}
      </button>
      {error ? (
        <Alert className="w-full" title="The model was not taken">
          {error}
        </Alert>
      ) : null}
    </form>
  )
}
