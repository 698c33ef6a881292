import type { Metadata } from 'next'
import { PageHeader } from '@/app/_components/page-header'
import { requirePageActor } from '@/server/http/page-auth'
import { UploadForm } from './_components/upload-form'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Upload' }

export default async function UploadPage() {
  const { services } = await requirePageActor('artifact:upload')
  return (
    <>
      <PageHeader
        title="Upload a dataset"
        description="Upload a CSV, TSV, Parquet, JSON or NDJSON file, or a .zip, .tar or .tar.gz archive of labelled images (one folder per label, or a labels.csv). It is stored by its content hash; an ingest node reads it by that id."
      />
      <UploadForm maxBytes={services.env.PIPEWRIGHT_MAX_UPLOAD_BYTES} />
    </>
  )
}
