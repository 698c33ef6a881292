import { z } from 'zod'
import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { getRunDetail, listRunLogs } from '@/server/runner/runs'

const query = z.object({ after: z.coerce.number().int().min(0).default(0) })

export const GET = apiRoute<{ runId: string }>('pipeline:read', async ({ request, params, services }) => {
  const runId = requireUuid(params.runId, 'run')
  await getRunDetail(services.db, runId)
  const { after } = query.parse(Object.fromEntries(new URL(request.url).searchParams))
  return { logs: await listRunLogs(services.db, runId, after) }
})
