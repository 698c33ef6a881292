import type { Metadata } from 'next'
import Link from 'next/link'
import { EmptyState } from '@/app/_components/empty-state'
import { PageHeader } from '@/app/_components/page-header'
import { TimeAgo } from '@/app/_components/time-ago'
import { requirePageActor } from '@/server/http/page-auth'
import { listInvites, type InviteState } from '@/server/use-cases/invites'
import { InviteForm } from '../_components/invite-form'
import { RevokeInvite } from './revoke-invite'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Rating links' }

const stateStyle: Record<InviteState, string> = {
  open: 'bg-green-50 text-green-700 ring-green-200',
  used: 'bg-zinc-100 text-zinc-600 ring-zinc-200',
  expired: 'bg-amber-50 text-amber-800 ring-amber-200',
}

/** Every one-time rating link: for whom, for what, and whether it was used. */
export default async function InvitesPage() {
  const { services } = await requirePageActor('use-case:edit')
  const invites = await listInvites(services.db)
  return (
    <>
      <PageHeader
        trail={[{ href: '/use-cases', label: 'Use cases' }]}
        title="Rating links"
        description="One-time links for people without an account. A link is shown once, when it is made; here you see whether it was used, and can revoke it."
        actions={<InviteForm />}
      />
      {invites.length === 0 ? (
        <EmptyState title="No rating links yet">Make one with Invite a rater: here, on the board, or on a use case&apos;s page.</EmptyState>
      ) : (
        <div className="card overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="bg-zinc-50 text-left text-xs text-zinc-500 uppercase">
              <tr>
                <th className="px-3 py-2">Rater</th>
                <th className="px-3 py-2">Rates</th>
                <th className="px-3 py-2">State</th>
                <th className="px-3 py-2">Made</th>
                <th className="px-3 py-2">Expires</th>
                <th className="px-3 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100" data-testid="invite-list">
              {invites.map((invite) => (
                <tr key={invite.id}>
                  <td className="px-3 py-2 font-medium">{invite.raterName}</td>
                  <td className="px-3 py-2">{invite.useCaseId ? <Link className="link" href={`/use-cases/${invite.useCaseId}`}>{invite.useCaseTitle}</Link> : 'every open use case'}</td>
                  <td className="px-3 py-2">
                    <span className={`rounded px-1.5 py-0.5 text-xs ring-1 ${stateStyle[invite.state]}`}>{invite.state}</span>
                    {invite.usedAt ? <TimeAgo date={invite.usedAt} className="ml-1 text-xs text-zinc-500" /> : null}
                  </td>
                  <td className="px-3 py-2 text-zinc-600"><TimeAgo date={invite.createdAt} /></td>
                  <td className="px-3 py-2 text-zinc-600">{invite.expiresAt.toISOString().slice(0, 10)}</td>
                  <td className="px-3 py-2 text-right">{invite.state === 'open' ? <RevokeInvite id={invite.id} raterName={invite.raterName} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
