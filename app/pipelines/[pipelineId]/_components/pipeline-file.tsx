'use client'
import { ChevronRight, Download } from 'lucide-react'
import { CopyButton } from '@/app/_components/copy-button'

/** The head version's pipeline file: collapsible, downloadable as the JSON the REST API and CLI take. */
export function PipelineFileView({ file, name, version }: { file: unknown; name: string; version: number }) {
  const json = JSON.stringify(file, null, 2)

  function download() {
    const url = URL.createObjectURL(new Blob([`${json}\n`], { type: 'application/json' }))
    const a = document.createElement('a')
    a.href = url
    a.download = `${name}.pipeline.json`
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }

  return (
    <details className="card group overflow-hidden">
      <summary className="flex cursor-pointer list-none items-center gap-2 px-4 py-3 text-sm font-medium text-zinc-700 select-none hover:bg-zinc-50 [&::-webkit-details-marker]:hidden">
        <ChevronRight className="size-4 text-zinc-400 transition-transform group-open:rotate-90" aria-hidden />
        Pipeline file
        <span className="font-mono text-xs font-normal text-zinc-500">v{version} · {json.length.toLocaleString()} characters</span>
        <span className="ml-auto flex items-center gap-2" onClick={(e) => e.preventDefault()}>
          <CopyButton value={json} label="Copy JSON" />
          <button type="button" onClick={download} className="btn-secondary px-2 py-1 text-xs" data-testid="download-pipeline-file">
            <Download className="size-3.5" aria-hidden />
            Download pipeline file
          </button>
        </span>
      </summary>
      <pre className="max-h-[32rem] overflow-auto border-t border-zinc-200 bg-zinc-950 p-4 font-mono text-xs leading-relaxed text-zinc-100">
        {json}
      </pre>
    </details>
  )
}
