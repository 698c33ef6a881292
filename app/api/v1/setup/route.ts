import { createApiToken, newUserInput, setupOwner } from '@/server/auth/accounts'
import { bodyLimits, publicRoute, readJson } from '@/server/http/route'

/** First run: creates the owner (admin) and returns an API token; 409 once anyone exists. */
export const POST = publicRoute(
  async ({ request, services, audit }) => {
    const input = newUserInput.parse(await readJson(request, { maxBytes: bodyLimits.public }))
    const actor = await setupOwner(services.db, input)
    // automation that sets up an installation continues with this token; it never expires
    // (revoke it on the Tokens page once the installation has tokens of its own)
    const { id: tokenId, token } = await createApiToken(services.db, actor.id, 'setup')
    audit.who = { id: actor.id, label: actor.email, client: 'setup API' }
    audit.on(`user ${actor.email}`, { userId: actor.id, role: actor.role, tokenId, tokenName: 'setup' })
    return Response.json({ token, user: actor }, { status: 201 })
  },
  { audit: 'setup.owner' },
)
