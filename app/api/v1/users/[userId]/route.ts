import { removeUser, roleInput, setUserRole } from '@/server/auth/users'
import { requireUuid } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'

type Params = { userId: string }

/** `{ role }`; 409 when it would leave no admin. */
export const PATCH = apiRoute<Params>(
  'user:manage',
  async ({ request, params, services, audit }) => {
    const id = requireUuid(params.userId, 'user')
    const { role } = roleInput.parse(await readJson(request))
    const user = await setUserRole(services.db, id, role)
    audit.on(`user ${user.email}`, { userId: id, role })
    return user
  },
  { audit: 'user.role-change' },
)

/** Removes the user, their sessions and tokens; 409 for yourself or the last admin. */
export const DELETE = apiRoute<Params>(
  'user:manage',
  async ({ params, services, actor, audit }) => {
    const removed = await removeUser(services.db, actor, requireUuid(params.userId, 'user'))
    audit.on(`user ${removed.email}`, { userId: removed.id, role: removed.role })
    return { removed: true, id: removed.id, email: removed.email }
  },
  { audit: 'user.remove' },
)
