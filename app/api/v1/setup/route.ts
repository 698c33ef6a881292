import { newUserInput, setupOwner } from '@/server/auth/accounts'
import { publicRoute, readJson } from '@/server/http/route'

/** First run: creates the owner (admin) and returns an API token; 409 once anyone exists. */
export const POST = publicRoute(async ({ request, services }) => {
  const input = newUserInput.parse(await readJson(request))
  const { actor, token } = await setupOwner(services.db, input)
  return Response.json({ token, user: actor }, { status: 201 })
})
