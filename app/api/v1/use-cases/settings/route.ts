import { apiRoute, readJson } from '@/server/http/route'
import { loadBoardSettings, updateBoardSettings } from '@/server/use-cases/board'

/** The board's scoring settings: method (default, rice, wsjf), horizon in years, pain and cost weights. */
export const GET = apiRoute('use-case:read', async ({ services }) => loadBoardSettings(services.db))

/** Any subset of the settings; answers all of them. */
export const PATCH = apiRoute('use-case:edit', async ({ request, services, actor }) => updateBoardSettings(services.db, await readJson(request), actor.id))
