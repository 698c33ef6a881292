import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { retryRun } from '@/server/runner/scheduler'
import { getRunDetail } from '@/server/runner/runs'

/** Runs the failed, skipped and canceled steps of a finished run again. */
export const POST = apiRoute<{ runId: string }>('pipeline:run', async ({ params, services }) => {
  const runId = requireUuid(params.runId, 'run')
  await getRunDetail(services.db, runId)
  return { retried: await retryRun(services, runId) }
})
