import { approveBody, approveStep } from '@/server/approvals/decide'
import { requireUuid } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'

/**
 * `POST /api/v1/runs/{runId}/steps/{nodeId}/approve`, optionally `{ comment }`: a step waiting for approval
 * (a deploy step's rollout) publishes what it kept, as the approver's change, and the run goes on.
 * 409 a step that asks no approval, or a decision someone made first; 410 one no longer waiting (decided, or its approval expired undecided).
 */
export const POST = apiRoute<{ runId: string; nodeId: string }>(
  'deployment:manage',
  async ({ request, params, services, actor, audit }) => {
    const runId = requireUuid(params.runId, 'run')
    const body = approveBody.parse(await readJson(request, { whenEmpty: {} }))
    const decision = await approveStep(services, runId, params.nodeId, actor, body.comment)
    audit.on(`run ${runId} step ${params.nodeId}`, { step: decision.step, ...(body.comment ? { comment: body.comment } : {}), ...(decision.error ? { error: decision.error } : {}) })
    return decision
  },
  { audit: 'deployment.approve' },
)
