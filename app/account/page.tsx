import type { Metadata } from 'next'
import { PageHeader } from '@/app/_components/page-header'
import { roleSummaries } from '@/server/auth/permissions'
import { requirePageActor } from '@/server/http/page-auth'
import { PasswordForm } from './_components/password-form'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Your account' }

/** Who you are signed in as, and a new password. */
export default async function AccountPage() {
  const { actor } = await requirePageActor('signed-in')
  return (
    <>
      <PageHeader title="Your account" description="Your details, and your password." />
      <div className="max-w-xl space-y-6">
        <dl className="card grid grid-cols-[8rem_1fr] gap-x-4 gap-y-2 p-4 text-sm" data-testid="account-details">
          <dt className="text-zinc-500">Name</dt>
          <dd className="font-medium text-zinc-900">{actor.name}</dd>
          <dt className="text-zinc-500">Email</dt>
          <dd className="text-zinc-900">{actor.email}</dd>
          <dt className="text-zinc-500">Role</dt>
          <dd className="text-zinc-900">
            {roleSummaries[actor.role].label} <span className="text-zinc-500">({roleSummaries[actor.role].description})</span>
          </dd>
        </dl>
        <PasswordForm />
      </div>
    </>
  )
}
