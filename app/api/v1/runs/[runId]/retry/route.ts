import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { retryRun } from '@/server/runner/scheduler'
import { getRunDetail } from '@/server/runner/runs'

/** Runs the failed, skipped and canceled steps of a finished run again. */
export const POST = apiRoute<{ runId: string }>(
  'pipeline:run',
  async ({ params, services, audit }) => {
    const runId = requireUuid(params.runId, 'run')
    await getRunDetail(services.db, runId)
    const retried = await retryRun(services, runId)
    audit.on(`run ${runId}`, { retried })
    return { retried }
  },
  { audit: 'run.retry' },
)
