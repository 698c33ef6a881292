import { Download } from 'lucide-react'
import { CopyButton } from '@/app/_components/copy-button'
import { formatBytes } from '@/app/_components/format'

/** Which artifact a port holds, and a link to its bytes. */
export function ArtifactBar({
  id,
  sizeBytes,
  mediaType,
  filename,
}: {
  id: string
  sizeBytes: number | null
  mediaType: string | null
  filename: string | null
}) {
  return (
    <div className="mb-4 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-zinc-600">
      <span className="flex min-w-0 items-center gap-2">
        artifact
        <code className="truncate rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700" title={id} data-testid="artifact-id">
          {id.slice(0, 16)}…
        </code>
        <CopyButton value={id} label="Copy id" />
      </span>
      {sizeBytes !== null ? <span>{formatBytes(sizeBytes)}</span> : null}
      {mediaType ? <span className="font-mono text-xs text-zinc-500">{mediaType}</span> : null}
      <a
        href={`/api/v1/artifacts/${id}/content`}
        className="btn-secondary ml-auto px-2 py-1 text-xs"
        download={filename ?? undefined}
        data-testid="download-artifact"
      >
        <Download className="size-3.5" aria-hidden />
        Download
      </a>
    </div>
  )
}
