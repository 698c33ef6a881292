import Link from 'next/link'
import { Alert, errorMessage } from '@/app/_components/alert'
import { ModelSummary } from '@/app/_components/model-summary'
import { previewArtifact } from '@/server/artifacts/preview'
import { versionsOfArtifact } from '@/server/models/browse'
import { findModelMetadata } from '@/server/models/metadata-store'
import type { Services } from '@/server/services'
import { ArtifactBar } from './artifact-bar'
import { PortView, type PortPreview } from './port-view'

/** Loads one output's preview (a dataset's first rows and profile, a report) on the server; PortView shows it. */
export async function PortContent({
  services,
  artifactId,
  port,
  kind,
}: {
  services: Services
  artifactId: string
  port: string
  kind: string
}) {
  let preview: Awaited<ReturnType<typeof previewArtifact>>
  try {
    preview = await previewArtifact(services.db, services.store, artifactId, 100)
  } catch (error) {
    return (
      <Alert title="This output could not be loaded">
        <p>{errorMessage(error)}</p>
        <p className="mt-1 font-mono text-xs">{artifactId}</p>
      </Alert>
    )
  }
  const { artifact } = preview
  const model = artifact.kind === 'model' ? await findModelMetadata(services.db, artifact.id) : null
  if (model) {
    const registered = await versionsOfArtifact(services.db, artifact.id)
    return (
      <div>
        <ArtifactBar id={artifact.id} sizeBytes={artifact.sizeBytes} mediaType={artifact.mediaType} filename={artifact.filename} />
        {registered.length > 0 ? (
          <p className="mb-3 text-sm text-zinc-600" data-testid="registered-as">
            Registered as{' '}
            {registered.map((r, i) => (
              <span key={`${r.name}-${r.version}`}>
                {i > 0 ? ', ' : null}
                <Link href={`/models/${r.name}/versions/${r.version}`} className="link font-mono">
                  {r.name} v{r.version}
                </Link>
              </span>
            ))}
          </p>
        ) : null}
        <ModelSummary metadata={model} />
      </div>
    )
  }
  const shown: PortPreview =
    preview.type === 'dataset'
      ? { type: 'dataset', dataset: { artifactId: artifact.id, rowCount: preview.rowCount, schema: preview.schema, rows: preview.rows, profile: preview.profile } }
      : preview.type === 'report'
        ? { type: 'report', report: preview.report }
        : { type: 'file' }
  return (
    <div>
      <ArtifactBar id={artifact.id} sizeBytes={artifact.sizeBytes} mediaType={artifact.mediaType} filename={artifact.filename} />
      <PortView kind={kind} port={port} preview={shown} />
    </div>
  )
}
