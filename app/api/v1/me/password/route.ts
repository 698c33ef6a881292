import { changePassword } from '@/server/auth/password-change'
import { apiRoute, bodyLimits, readJson } from '@/server/http/route'
import { sessionSecretOf } from '@/server/http/session-cookie'

/**
 * `{ currentPassword, newPassword }`: changes the caller's password and ends their other
 * sessions (with a token: all of them). API tokens keep working.
 * Changing one's own credentials is part of managing one's own tokens: every role may.
 */
export const POST = apiRoute(
  'token:manage-own',
  async ({ request, services, actor, audit }) => {
    const bearer = request.headers.has('authorization')
    const result = await changePassword(services.db, actor, await readJson(request, { maxBytes: bodyLimits.public }), bearer ? null : (sessionSecretOf(request) ?? null))
    // never the passwords: only that it changed and how many sessions ended
    audit.on(`user ${actor.email}`, { endedSessions: result.endedSessions })
    return { changed: true, ...result }
  },
  { audit: 'user.password-change' },
)
