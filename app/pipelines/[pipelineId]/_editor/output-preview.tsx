'use client'
import { clsx } from 'clsx'
import { ExternalLink } from 'lucide-react'
import Link from 'next/link'
import { useEffect, useState } from 'react'
import { errorMessage } from '@/app/_components/alert'
import { ImageTile, labelColors, toImageItem } from '@/app/_components/dataset/image-tile'
import { trpc } from '@/app/_lib/trpc'
import { isImageDataset } from '@/nodes/_lib/image-columns'
import type { DatasetPreview } from '@/nodes/views-contract'
import { viewsFor } from '@/nodes/views'
import { useEditor } from './store'

type Preview = Awaited<ReturnType<typeof trpc.artifacts.preview.query>>

const previewRows = 20

/** The node's outputs from the last run: a port picker, the first rows or the report, and a link to the full view. */
export function OutputPreview({ nodeId }: { nodeId: string }) {
  const step = useEditor((s) => s.run?.steps.find((st) => st.nodeId === nodeId))
  const runId = useEditor((s) => s.run?.id)
  const ports = Object.entries(step?.outputs ?? {})
  const [port, setPort] = useState<string | null>(null)
  const chosen = ports.find(([name]) => name === port) ?? ports[0]

  if (!step || !runId) return <p className="text-sm text-zinc-500">This node has not run yet. Run the pipeline to see what it produces.</p>
  if (ports.length === 0) {
    return (
      <p className="text-sm text-zinc-500">
        {step.status === 'failed' ? `No output: the step failed. ${step.error ?? ''}` : `No output yet (the step is ${step.status}).`}
      </p>
    )
  }
  return (
    <div data-testid="panel-output">
      <div className="mb-3 flex flex-wrap items-center gap-1">
        {ports.map(([name]) => (
          <button
            key={name}
            type="button"
            onClick={() => setPort(name)}
            className={clsx('rounded-full px-2.5 py-0.5 text-xs font-medium', name === chosen?.[0] ? 'bg-accent-600 text-white' : 'bg-zinc-100 text-zinc-700 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-200')}
          >
            {name}
          </button>
        ))}
        <Link className="link ml-auto inline-flex items-center gap-1 text-sm" href={`/runs/${runId}/steps/${nodeId}`} data-testid="open-output">
          Full view <ExternalLink className="size-3.5" aria-hidden />
        </Link>
      </div>
      {chosen ? <ArtifactPreview id={chosen[1]} kind={step.kind} port={chosen[0]} /> : null}
    </div>
  )
}

/** The output as its node kind shows it (nodes/<kind>/views.tsx), else a small image grid, table or JSON. */
function ArtifactPreview({ id, kind, port }: { id: string; kind: string; port: string }) {
  const [preview, setPreview] = useState<Preview | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    setPreview(null)
    setError(null)
    trpc.artifacts.preview
      .query({ id, limit: previewRows })
      .then((p) => live && setPreview(p))
      .catch((e) => live && setError(errorMessage(e)))
    return () => {
      live = false
    }
  }, [id])
  if (error) return <p className="text-sm text-red-600">{error}</p>
  if (!preview) return <p className="text-sm text-zinc-500">Loading…</p>
  const views = viewsFor(kind)
  if (preview.type === 'report') {
    const Report = views?.Report
    if (Report) return <Report port={port} report={preview.report} />
    return <pre className="max-h-96 overflow-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-800">{JSON.stringify(preview.report, null, 2)}</pre>
  }
  if (preview.type !== 'dataset') return <p className="text-sm text-zinc-500">A file of {preview.artifact.sizeBytes} bytes.</p>
  // the canvas has no room for statistics: the preview goes without its profile
  const dataset: DatasetPreview = { artifactId: id, rowCount: preview.rowCount, schema: preview.schema, rows: preview.rows }
  const Own = views?.datasetPorts?.[port]
  if (Own) return <Own port={port} preview={dataset} />
  return (
    <div>
      <p className="mb-2 text-xs text-zinc-500" data-testid="panel-row-count">
        {preview.rowCount.toLocaleString('en')} {isImageDataset(preview.schema) ? 'images' : 'rows'} · {preview.schema.length} columns
        {preview.rowCount > previewRows ? ` · first ${previewRows} shown` : ''}
      </p>
      {isImageDataset(preview.schema) ? <SmallImageGrid rows={preview.rows} /> : <SmallTable dataset={dataset} />}
    </div>
  )
}

/** The first images of an image dataset, with their labels and boxes; the full view has the rest. */
function SmallImageGrid({ rows }: { rows: readonly Record<string, unknown>[] }) {
  const items = rows.flatMap((row) => toImageItem(row) ?? [])
  const colorOf = labelColors(items.map((item) => item.label))
  return (
    <div className="grid grid-cols-4 gap-1.5" data-testid="panel-image-grid">
      {items.map((item, i) => (
        <ImageTile key={i} item={item} colorOf={colorOf} compact />
      ))}
    </div>
  )
}

function SmallTable({ dataset: preview }: { dataset: DatasetPreview }) {
  return (
    <div className="max-h-96 overflow-auto rounded border border-zinc-200 dark:border-zinc-700">
      <table className="min-w-full text-xs">
        <thead className="sticky top-0 bg-zinc-50 dark:bg-zinc-800">
          <tr>
            {preview.schema.map((c) => (
              <th key={c.name} className="px-2 py-1 text-left font-medium whitespace-nowrap" title={c.type}>
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, i) => (
            <tr key={i} className="border-t border-zinc-100 dark:border-zinc-800">
              {preview.schema.map((c) => (
                <td key={c.name} className="px-2 py-1 whitespace-nowrap tabular-nums">
                  {formatCell((row as Record<string, unknown>)[c.name])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '∅'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
