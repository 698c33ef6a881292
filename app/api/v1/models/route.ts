import { listModels } from '@/server/models/registry'
import { apiRoute } from '@/server/http/route'

/** Every registered model with its latest version and where its aliases point. */
export const GET = apiRoute('model:read', async ({ services }) => ({ models: await listModels(services.db) }))
