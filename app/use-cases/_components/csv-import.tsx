'use client'
import { Upload } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { useRef, useState } from 'react'
import type { ApiErrorBody } from '@/app/_lib/post-json'

/** Imports a CSV file: all rows or none; every problem is listed as "row N, field F". */
export function CsvImport() {
  const router = useRouter()
  const input = useRef<HTMLInputElement>(null)
  const [result, setResult] = useState<{ ok: boolean; text: string; errors?: string[] } | null>(null)

  const upload = async (file: File) => {
    const response = await fetch('/api/v1/use-cases/csv', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: await file.text() }).catch(() => null)
    if (!response) return setResult({ ok: false, text: 'Could not reach the server.' })
    const body = (await response.json().catch(() => ({}))) as ApiErrorBody & { created?: number; updated?: number; unchanged?: number }
    if (response.ok) {
      setResult({ ok: true, text: `Imported ${file.name}: ${body.created} created, ${body.updated} updated, ${body.unchanged} unchanged.` })
      router.refresh()
    } else {
      const errors = (body.errors ?? []).map((e) => `${e.path}: ${e.message}`)
      setResult({ ok: false, text: `Nothing was imported from ${file.name}. ${errors.length > 1 ? `${errors.length} problems:` : (body.error ?? '')}`, errors: errors.length > 1 ? errors : undefined })
    }
  }

  return (
    <div className="contents">
      <button type="button" className="btn-secondary" onClick={() => input.current?.click()} data-testid="csv-import-open">
        <Upload className="size-4" aria-hidden /> Import CSV
      </button>
      <input
        ref={input}
        type="file"
        accept=".csv,text/csv"
        className="hidden"
        data-testid="csv-import-file"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0]
          e.currentTarget.value = ''
          if (file) void upload(file)
        }}
      />
      {result ? (
        <div role={result.ok ? 'status' : 'alert'} data-testid="csv-import-result" className={result.ok ? 'order-last w-full text-sm text-green-700' : 'order-last w-full rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800'}>
          {result.text}
          {result.errors ? (
            <ul className="mt-1 max-h-48 list-disc overflow-y-auto pl-5 font-mono text-xs">
              {result.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}
