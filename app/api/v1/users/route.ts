import { addUser, listUsers, userInput } from '@/server/auth/users'
import { apiRoute, readJson } from '@/server/http/route'

/** Everyone with an account, oldest first; admins only. */
export const GET = apiRoute('user:manage', async ({ services }) => ({ users: await listUsers(services.db) }))

/** `{ email, name, role, password }` in, the new user out; 409 when the email is taken. */
export const POST = apiRoute(
  'user:manage',
  async ({ request, services, audit }) => {
    const user = await addUser(services.db, userInput.parse(await readJson(request)))
    audit.on(`user ${user.email}`, { userId: user.id, role: user.role })
    return Response.json(user, { status: 201 })
  },
  { audit: 'user.create' },
)
