'use client'
import { Alert } from '@/app/_components/alert'
import { DatasetView } from '@/app/_components/dataset/dataset-view'
import { ReportView } from '@/app/_components/dataset/report-view'
import type { DatasetPreview } from '@/nodes/views-contract'
import { viewsFor } from '@/nodes/views'

export type PortPreview = { type: 'dataset'; dataset: DatasetPreview } | { type: 'report'; report: unknown } | { type: 'file' }

/**
 * One output, shown the way its node kind asks (nodes/<kind>/views.tsx), or the generic way for its
 * type: a dataset's table or image grid, a report's JSON. Client-side, since the views list is.
 */
export function PortView({ kind, port, preview }: { kind: string; port: string; preview: PortPreview }) {
  const views = viewsFor(kind)
  if (preview.type === 'dataset') {
    const Own = views?.datasetPorts?.[port]
    return Own ? <Own port={port} preview={preview.dataset} /> : <DatasetView preview={preview.dataset} />
  }
  if (preview.type === 'report') return <ReportView Report={views?.Report} port={port} report={preview.report} />
  return <Alert tone="info">This output is a file; download it to look inside.</Alert>
}
