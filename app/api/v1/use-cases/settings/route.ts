import { apiRoute, readJson } from '@/server/http/route'
import { loadBoardSettings, updateBoardSettings } from '@/server/use-cases/board'

/** The board's scoring settings: method (default, rice, wsjf), horizon in years, pain and cost weights. */
export const GET = apiRoute('use-case:read', async ({ services }) => loadBoardSettings(services.db))

/** Any subset of the settings; answers all of them. */
export const PATCH = apiRoute(
  'use-case:edit',
  async ({ request, services, actor, audit }) => {
    const patch = await readJson(request)
    const settings = await updateBoardSettings(services.db, patch, actor.id)
    // valid once the update succeeded: the patch is the change
    audit.on('use-case board', { changed: patch })
    return settings
  },
  { audit: 'use-case.settings' },
)
