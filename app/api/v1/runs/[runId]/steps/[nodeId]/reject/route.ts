import { rejectBody, rejectStep } from '@/server/approvals/decide'
import { requireUuid } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'

/**
 * `POST /api/v1/runs/{runId}/steps/{nodeId}/reject`, optionally `{ reason }`: the waiting step fails, saying who
 * rejected it and why; nothing is deployed. 409 a step that asks no approval; 410 one no longer waiting (decided, or its approval expired undecided).
 */
export const POST = apiRoute<{ runId: string; nodeId: string }>(
  'deployment:manage',
  async ({ request, params, services, actor, audit }) => {
    const runId = requireUuid(params.runId, 'run')
    const body = rejectBody.parse(await readJson(request, { whenEmpty: {} }))
    const decision = await rejectStep(services, runId, params.nodeId, actor, body.reason)
    audit.on(`run ${runId} step ${params.nodeId}`, { ...(body.reason ? { reason: body.reason } : {}) })
    return decision
  },
  { audit: 'deployment.reject' },
)
