import type { Metadata } from 'next'
import { PageHeader } from '@/app/_components/page-header'
import { orNotFound, requireUuidParam } from '@/app/_lib/not-found'
import { requirePageActor } from '@/server/http/page-auth'
import { useCaseFields } from '@/server/use-cases/model'
import { findRow } from '@/server/use-cases/rows'
import { UseCaseForm } from '../../_components/use-case-form'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Edit use case' }

export default async function EditUseCasePage({ params }: { params: Promise<{ useCaseId: string }> }) {
  const id = requireUuidParam((await params).useCaseId)
  const { services } = await requirePageActor('use-case:edit')
  const row = await orNotFound(findRow(services.db, id))
  const fields = useCaseFields.parse(row.fields)
  return (
    <>
      <PageHeader
        trail={[{ href: '/use-cases', label: 'Use cases' }, { href: `/use-cases/${id}`, label: fields.title }]}
        title="Edit use case"
        description="Every change is kept in the use case's history, field by field."
      />
      <UseCaseForm initial={{ ...fields, id }} />
    </>
  )
}
