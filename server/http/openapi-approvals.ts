import { errors, idParam, json, needs } from './openapi-helpers'

const stepParams = [idParam('runId', 'run id'), idParam('nodeId', "the waiting step's node id (a deploy step with approval)")]
const decision = json({
  type: 'object',
  required: ['decision', 'step'],
  properties: {
    decision: { enum: ['approved', 'rejected'] },
    step: { enum: ['succeeded', 'failed'], description: "the step's state after the decision" },
    error: { type: 'string', description: 'why the step failed: the rejection (who and why), or the approved change refused' },
    outputs: { type: 'object', additionalProperties: { type: 'string' }, description: "the step's output artifact ids" },
  },
})

const lateDecision =
  "410 when the step no longer waits: someone decided first, or nobody did within the deploy node's approvalTimeoutHours (default 72) and the step failed when its approval expired."

/** Steps waiting for a person's approval (a deploy step's rollout): approve or reject. */
export function approvalPaths() {
  return {
    '/api/v1/runs/{runId}/steps/{nodeId}/approve': {
      parameters: stepParams,
      post: {
        ...needs('deployment:manage'),
        summary: 'Approve a waiting step: the rollout is made, recorded as yours, and the run goes on',
        description: lateDecision,
        requestBody: { required: false, content: json({ type: 'object', properties: { comment: { type: 'string', maxLength: 2000 } }, additionalProperties: false }) },
        responses: { 200: { description: 'The decision and the step after it', content: decision }, ...errors(400, 401, 403, 404, 409, 410, 413, 415) },
      },
    },
    '/api/v1/runs/{runId}/steps/{nodeId}/reject': {
      parameters: stepParams,
      post: {
        ...needs('deployment:manage'),
        summary: 'Reject a waiting step: it fails with who rejected it and why; nothing is deployed',
        description: lateDecision,
        requestBody: { required: false, content: json({ type: 'object', properties: { reason: { type: 'string', maxLength: 2000 } }, additionalProperties: false }) },
        responses: { 200: { description: 'The decision and the step after it', content: decision }, ...errors(400, 401, 403, 404, 409, 410, 413, 415) },
      },
    },
  }
}
