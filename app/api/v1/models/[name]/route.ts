import { listModelVersions } from '@/server/models/registry'
import { requireModelName } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'

/** One model's versions, newest first, and its aliases. */
export const GET = apiRoute<{ name: string }>('model:read', async ({ params, services }) => listModelVersions(services.db, requireModelName(params.name)))
