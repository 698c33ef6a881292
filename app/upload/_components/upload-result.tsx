'use client'
import { CheckCircle2 } from 'lucide-react'
import { CopyButton } from '@/app/_components/copy-button'
import { formatBytes } from '@/app/_components/format'

/** What to do with a finished upload: its id, and an ingest config ready to paste. */
export function UploadResult({ artifactId, sizeBytes, filename }: { artifactId: string; sizeBytes: number; filename: string }) {
  const archive = isImageArchive(filename)
  const config = JSON.stringify({ source: { type: archive ? 'images' : 'upload', artifactId } }, null, 2)
  return (
    <div className="card space-y-4 p-5" data-testid="upload-result">
      <p className="flex items-center gap-2 font-medium text-green-800">
        <CheckCircle2 className="size-5 text-green-600" aria-hidden />
        Uploaded {filename} ({formatBytes(sizeBytes)})
      </p>
      <div>
        <p className="mb-1 text-xs font-medium tracking-wide text-zinc-500 uppercase">Artifact id</p>
        <div className="flex items-center gap-2">
          <code className="min-w-0 flex-1 truncate rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-sm" data-testid="artifact-id">
            {artifactId}
          </code>
          <CopyButton value={artifactId} />
        </div>
      </div>
      <div>
        <div className="mb-1 flex items-center justify-between">
          <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Ingest node config</p>
          <CopyButton value={config} label="Copy config" />
        </div>
        <pre className="overflow-x-auto rounded-md bg-zinc-950 p-3 font-mono text-xs text-zinc-100" data-testid="ingest-config">
          {config}
        </pre>
        <p className="mt-1 text-xs text-zinc-500">
          {archive
            ? 'Paste it as the config of an ingest node: it reads the archive’s images into an image dataset, labelled by their folders or a labels.csv.'
            : 'Paste it as the config of an ingest node; the format comes from the file name.'}
        </p>
      </div>
    </div>
  )
}

/** A `.gz` alone is a compressed table (`a.csv.gz`); `.tar.gz` and `.tgz` are archives. */
function isImageArchive(filename: string): boolean {
  return /\.(zip|tar|tgz|tar\.gz)$/i.test(filename)
}
