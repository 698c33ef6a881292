import { publicUrl } from '@/server/http/public-url'
import { apiRoute, readJson } from '@/server/http/route'
import { createInvite, listInvites } from '@/server/use-cases/invites'

export const GET = apiRoute('use-case:edit', async ({ services }) => ({ invites: await listInvites(services.db) }))

/**
 * `{ raterName, useCaseId?, expiresInDays? }`: a one-time link for someone without an account,
 * to rate one use case or (without `useCaseId`) every open one. The answer's `url` is shown once;
 * it starts with PIPEWRIGHT_PUBLIC_URL, else with the address this request was sent to.
 */
export const POST = apiRoute(
  'use-case:edit',
  async ({ request, services, actor, audit }) => {
    const invite = await createInvite(services.db, await readJson(request), actor.id)
    // never the token: the log is read by every admin, the link is for one rater
    audit.on(`rating link ${invite.id}`, { raterName: invite.raterName, useCaseId: invite.useCaseId, expiresAt: invite.expiresAt })
    return Response.json({ ...invite, url: publicUrl(request, invite.path) }, { status: 201 })
  },
  { audit: 'invite.create' },
)
