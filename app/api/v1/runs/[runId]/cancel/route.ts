import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { cancelRun } from '@/server/runner/scheduler'
import { getRunDetail } from '@/server/runner/runs'

export const POST = apiRoute<{ runId: string }>('pipeline:run', async ({ params, services }) => {
  const runId = requireUuid(params.runId, 'run')
  await getRunDetail(services.db, runId)
  return { canceled: await cancelRun(services.db, runId) }
})
