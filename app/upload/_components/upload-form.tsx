'use client'
import clsx from 'clsx'
import { FileUp, X } from 'lucide-react'
import Link from 'next/link'
import { useRef, useState, type DragEvent } from 'react'
import { Alert } from '@/app/_components/alert'
import { formatBytes } from '@/app/_components/format'
import { UploadProgress } from './upload-progress'
import { UploadResult } from './upload-result'

const extensions = ['csv', 'tsv', 'parquet', 'json', 'ndjson', 'jsonl', 'zip', 'tar', 'tgz', 'gz']

type Phase =
  | { name: 'idle' }
  | { name: 'uploading'; loaded: number; total: number; startedAt: number; now: number }
  | { name: 'done'; artifactId: string; sizeBytes: number }
  | { name: 'error'; status: number; message: string }

export function UploadForm({ maxBytes }: { maxBytes: number }) {
  const [file, setFile] = useState<File | null>(null)
  const [phase, setPhase] = useState<Phase>({ name: 'idle' })
  const [dragging, setDragging] = useState(false)
  const xhr = useRef<XMLHttpRequest | null>(null)
  const input = useRef<HTMLInputElement>(null)

  const extension = file?.name.split('.').pop()?.toLowerCase() ?? ''
  const unknownFormat = file !== null && !extensions.includes(extension)

  function choose(next: File | null) {
    if (phase.name === 'uploading') return
    setFile(next)
    setPhase({ name: 'idle' })
  }

  function onDrop(event: DragEvent) {
    event.preventDefault()
    setDragging(false)
    choose(event.dataTransfer.files[0] ?? null)
  }

  function upload() {
    if (!file) return
    const request = new XMLHttpRequest()
    xhr.current = request
    const startedAt = Date.now()
    setPhase({ name: 'uploading', loaded: 0, total: file.size, startedAt, now: startedAt })
    request.upload.onprogress = (e) =>
      setPhase({ name: 'uploading', loaded: e.loaded, total: e.lengthComputable ? e.total : file.size, startedAt, now: Date.now() })
    request.onload = () => {
      const body = parseJson(request.responseText)
      if (request.status >= 200 && request.status < 300 && typeof body?.artifactId === 'string') {
        setPhase({ name: 'done', artifactId: body.artifactId, sizeBytes: Number(body.sizeBytes ?? file.size) })
      } else {
        setPhase({ name: 'error', status: request.status, message: typeof body?.error === 'string' ? body.error : `The server answered ${request.status}.` })
      }
    }
    request.onerror = () =>
      setPhase({
        name: 'error',
        status: 0,
        message: file.size > maxBytes ? `The server closed the connection: the file is over the upload limit of ${formatBytes(maxBytes)}.` : 'The upload failed: the connection was lost.',
      })
    request.onabort = () => setPhase({ name: 'idle' })
    request.open('POST', `/api/v1/uploads?filename=${encodeURIComponent(file.name)}`)
    request.setRequestHeader('content-type', 'application/octet-stream')
    request.send(file)
  }

  return (
    <div className="max-w-3xl space-y-6">
      <div
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        onClick={() => input.current?.click()}
        className={clsx(
          'flex cursor-pointer flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed px-6 py-10 text-center transition-colors',
          dragging ? 'border-accent-500 bg-accent-50' : 'border-zinc-300 bg-white hover:border-zinc-400',
        )}
        data-testid="upload-dropzone"
      >
        <FileUp className="size-8 text-zinc-400" aria-hidden />
        <p className="text-sm text-zinc-700">
          <span className="font-medium text-accent-700">Choose a file</span> or drop it here
        </p>
        <p className="text-xs text-zinc-500">
          CSV, TSV, Parquet, JSON or NDJSON, or an image archive (.zip, .tar, .tar.gz) · up to {formatBytes(maxBytes)}
        </p>
        <input
          ref={input}
          type="file"
          className="sr-only"
          accept=".csv,.tsv,.parquet,.json,.ndjson,.jsonl,.zip,.tar,.tgz,.gz"
          data-testid="upload-input"
          onChange={(e) => choose(e.target.files?.[0] ?? null)}
          onClick={(e) => e.stopPropagation()}
        />
      </div>

      {file && phase.name !== 'done' ? (
        <div className="card flex flex-wrap items-center gap-3 px-4 py-3">
          <div className="min-w-0 flex-1">
            <p className="truncate font-medium text-zinc-900" data-testid="upload-filename">{file.name}</p>
            <p className="text-xs text-zinc-500">{formatBytes(file.size)}</p>
          </div>
          {phase.name === 'uploading' ? (
            <button type="button" className="btn-secondary" onClick={() => xhr.current?.abort()}>
              <X className="size-4" aria-hidden /> Cancel
            </button>
          ) : (
            <button type="button" className="btn-primary" onClick={upload} data-testid="upload-start">
              Upload
            </button>
          )}
        </div>
      ) : null}

      {unknownFormat && phase.name === 'idle' ? (
        <Alert tone="warning">
          “.{extension}” is not a format the ingest node reads (CSV, TSV, Parquet, JSON, NDJSON, or a zip or tar archive of images). You can upload it, but an ingest
          step will need its format set by hand.
        </Alert>
      ) : null}

      {phase.name === 'uploading' ? <UploadProgress {...phase} /> : null}
      {phase.name === 'error' ? <UploadError status={phase.status} message={phase.message} /> : null}
      {phase.name === 'done' && file ? <UploadResult artifactId={phase.artifactId} sizeBytes={phase.sizeBytes} filename={file.name} /> : null}
    </div>
  )
}

function UploadError({ status, message }: { status: number; message: string }) {
  const title =
    status === 413 ? 'The file is too large' : status === 401 ? 'You are signed out' : status === 403 ? 'Not allowed' : 'The upload failed'
  return (
    <Alert title={title} testId="upload-error">
      <p>{message}</p>
      {status === 401 ? (
        <Link href="/sign-in?next=/upload" className="mt-1 inline-block font-medium underline">
          Sign in again
        </Link>
      ) : null}
    </Alert>
  )
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}
