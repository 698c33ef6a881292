import { requireUuid } from '@/server/http/ids'
import { apiRoute } from '@/server/http/route'
import { getRunDetail } from '@/server/runner/runs'

export const GET = apiRoute<{ runId: string }>('pipeline:read', async ({ params, services }) => {
  const run = await getRunDetail(services.db, requireUuid(params.runId, 'run'))
  return {
    id: run.id,
    pipelineId: run.pipelineId,
    version: run.version,
    status: run.status,
    error: run.error,
    /** a forced re-run: the run it re-ran, and the node it was re-run from */
    rerunOf: run.rerunOf,
    rerunNodeId: run.rerunNodeId,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    steps: run.steps.map((step) => ({
      nodeId: step.nodeId,
      kind: step.kind,
      status: step.status,
      /** what a waiting step waits for: a person's approval, or its model from outside (a handoff); null unless waiting */
      waitingFor: step.waitingFor,
      cached: step.cached,
      cachedFromRunId: step.cachedFromRunId,
      skipCache: step.skipCache,
      attempt: step.attempt,
      error: step.error,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
      durationMs: step.durationMs,
      outputs: step.outputs,
    })),
  }
})
