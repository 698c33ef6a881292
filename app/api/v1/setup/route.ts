import { createApiToken, newUserInput, setupOwner } from '@/server/auth/accounts'
import { publicRoute, bodyLimits, readJson } from '@/server/http/route'

/** First run: creates the owner (admin) and returns an API token; 409 once anyone exists. */
export const POST = publicRoute(async ({ request, services }) => {
  const input = newUserInput.parse(await readJson(request, { maxBytes: bodyLimits.public }))
  const actor = await setupOwner(services.db, input)
  // automation that sets up an installation continues with this token; it never expires
  // (revoke it on the Tokens page once the installation has tokens of its own)
  const { token } = await createApiToken(services.db, actor.id, 'setup')
  return Response.json({ token, user: actor }, { status: 201 })
})
