import { Alert, errorMessage } from '@/app/_components/alert'
import { previewArtifact } from '@/server/artifacts/preview'
import type { Services } from '@/server/services'
import { ArtifactBar } from './artifact-bar'
import { DatasetView, QuarantineView } from './dataset-view'
import { ReportView } from './report-view'

/** Loads one output's preview on the server and shows it the way its type asks for. */
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
  const isQuarantine =
    preview.type === 'dataset' &&
    ((kind === 'validate' && port === 'quarantine') || preview.schema.some((c) => c.name === '_reasons'))
  return (
    <div>
      <ArtifactBar id={artifact.id} sizeBytes={artifact.sizeBytes} mediaType={artifact.mediaType} filename={artifact.filename} />
      {preview.type === 'dataset' ? (
        isQuarantine ? (
          <QuarantineView preview={preview} profile={preview.profile} />
        ) : (
          <DatasetView preview={preview} profile={preview.profile} />
        )
      ) : preview.type === 'report' ? (
        <ReportView report={preview.report} />
      ) : (
        <Alert tone="info">This output is a file; download it to look inside.</Alert>
      )}
    </div>
  )
}
