import type { Metadata } from 'next'
import { Alert } from '@/app/_components/alert'
import { PageHeader } from '@/app/_components/page-header'
import { can } from '@/server/auth/permissions'
import { requirePageActor } from '@/server/http/page-auth'
import { UploadForm } from './_components/upload-form'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Upload' }

export default async function UploadPage() {
  const { actor, services } = await requirePageActor('pipeline:read')
  return (
    <>
      <PageHeader
        title="Upload a dataset"
        description="Upload a CSV, TSV, Parquet, JSON or NDJSON file. It is stored by its content hash; an ingest node reads it by that id."
      />
      {can(actor, 'artifact:upload') ? (
        <UploadForm maxBytes={services.env.PIPEWRIGHT_MAX_UPLOAD_BYTES} />
      ) : (
        <Alert tone="warning">Your role ({actor.role}) may not upload files. Ask an engineer or an admin.</Alert>
      )}
    </>
  )
}
