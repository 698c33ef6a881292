import type { Metadata } from 'next'
import { PageHeader } from '@/app/_components/page-header'
import { roles } from '@/db/schema'
import { roleSummaries } from '@/server/auth/permissions'
import { listUsers } from '@/server/auth/users'
import { requirePageActor } from '@/server/http/page-auth'
import type { RoleOption } from './_components/role-select'
import { UsersManager } from './_components/users-manager'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Users' }

const roleOptions: RoleOption[] = roles.map((role) => ({ value: role, ...roleSummaries[role] }))

export default async function UsersPage() {
  const { actor, services } = await requirePageActor('user:manage')
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
