import { requireUuid } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'
import { rerunBody, rerunFrom } from '@/server/runner/rerun'

/**
 * A new run of the same version in which `nodeId` and everything downstream of it run for real,
 * and the other steps are answered from the cache. Answers like starting a run: 201 `{ runId }`.
 */
export const POST = apiRoute<{ runId: string }>(
  'pipeline:run',
  async ({ request, params, services, actor, audit }) => {
    const runId = requireUuid(params.runId, 'run')
    const { nodeId } = rerunBody.parse(await readJson(request))
    const started = await rerunFrom(services, runId, nodeId, actor.id)
    audit.on(`run ${started.runId}`, { rerunOf: runId, nodeId })
    return Response.json(started, { status: 201 })
  },
  { audit: 'run.rerun' },
)
