import type { Metadata } from 'next'
import { PageHeader } from '@/app/_components/page-header'
import { requirePageActor } from '@/server/http/page-auth'
import { UseCaseForm } from '../_components/use-case-form'

export const metadata: Metadata = { title: 'New use case' }

export default async function NewUseCasePage() {
  await requirePageActor('use-case:edit')
  return (
    <>
      <PageHeader trail={[{ href: '/use-cases', label: 'Use cases' }]} title="New use case" description="Only the title is required; estimates can come later." />
      <UseCaseForm />
    </>
  )
}
