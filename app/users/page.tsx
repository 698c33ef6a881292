import type { Metadata } from 'next'
import { ShieldLock } from 'lucide-react'
import { EmptyState } from '@/app/_components/empty-state'
import { PageHeader } from '@/app/_components/page-header'
import { roles } from '@/db/schema'
import { can, roleSummaries } from '@/server/auth/permissions'
import { listUsers } from '@/server/auth/users'
import { requirePageActor } from '@/server/http/page-auth'
import type { RoleOption } from './_components/role-select'
import { UsersManager } from './_components/users-manager'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Users' }

const roleOptions: RoleOption[] = roles.map((role) => ({ value: role, ...roleSummaries[role] }))

export default async function UsersPage() {
  // every signed-in user may open the page; only admins see more than why they cannot
  const { actor, services } = await requirePageActor()
  if (!can(actor, 'user:manage')) {
    return (
      <>
        <PageHeader title="Users" />
        <div data-testid="users-admins-only">
          <EmptyState icon={<ShieldLock className="size-6" aria-hidden />} title="Only admins manage users">
            <p>
              You are signed in as {roleSummaries[actor.role].label.toLowerCase()} ({roleSummaries[actor.role].description}). To add
              someone or change a role, ask an admin.
            </p>
          </EmptyState>
        </div>
      </>
    )
  }
  const users = await listUsers(services.db)
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in, and what their role lets them do. Role changes apply from their next request; a removed user's sessions and API tokens stop working at once."
      />
      <UsersManager initial={users} roles={roleOptions} currentUserId={actor.id} />
    </>
  )
}
