import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { cancelRun } from '@/server/runner/scheduler'
import { getRunDetail } from '@/server/runner/runs'

export const POST = apiRoute<{ runId: string }>(
  'pipeline:run',
  async ({ params, services, audit }) => {
    const runId = requireUuid(params.runId, 'run')
    await getRunDetail(services.db, runId)
    const canceled = await cancelRun(services.db, runId)
    audit.on(`run ${runId}`, { canceled })
    return { canceled }
  },
  { audit: 'run.cancel' },
)
