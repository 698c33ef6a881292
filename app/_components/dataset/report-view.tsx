'use client'
import { ChevronRight } from 'lucide-react'
import { Alert } from '@/app/_components/alert'
import type { NodeViews } from '@/nodes/views-contract'

/** A report port: the node kind's own summary when it has one, and the raw JSON one click away. */
export function ReportView({ Report, port, report }: { Report: NodeViews['Report']; port: string; report: unknown }) {
  return (
    <div className="space-y-6">
      {Report ? (
        <Report port={port} report={report} />
      ) : (
        <Alert tone="info" title="A report without a summary">
          This kind of step has no summary of its reports; its JSON is below.
        </Alert>
      )}
      <RawJson value={report} open={!Report} />
    </div>
  )
}

function RawJson({ value, open }: { value: unknown; open: boolean }) {
  return (
    <details className="card group overflow-hidden" open={open}>
      <summary className="flex cursor-pointer list-none items-center gap-2 px-4 py-2.5 text-sm font-medium text-zinc-700 select-none hover:bg-zinc-50 [&::-webkit-details-marker]:hidden">
        <ChevronRight className="size-4 text-zinc-400 transition-transform group-open:rotate-90" aria-hidden />
        Raw JSON
      </summary>
      <pre className="max-h-96 overflow-auto border-t border-zinc-200 bg-zinc-950 p-4 font-mono text-xs text-zinc-100">{JSON.stringify(value, null, 2)}</pre>
    </details>
  )
}
