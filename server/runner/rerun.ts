import { eq } from 'drizzle-orm'
import { z } from 'zod'
import { pipelineVersions, runs } from '@/db/schema'
import { nodeId as nodeIdSchema, type JobPlan } from '@/server/compiler'
import { ConflictError, NotFoundError } from '@/server/errors'
import { BadRequestError } from '@/server/http/errors'
import { compileOrThrow } from '@/server/pipelines/pipelines'
import type { Services } from '@/server/services'
import { createRun } from './scheduler'
import { isTerminalRun } from './states'

/** What a re-run request names: the node to run again (with what depends on it). */
export const rerunBody = z.object({ nodeId: nodeIdSchema }).strict()

/**
 * Force a re-run from one node, as Kubeflow's "disable caching" for a step or KNIME's "reset and
 * execute": a new run of the same pipeline version, in which `nodeId` and every node downstream
 * of it run for real, and every other step is answered from the cache (the earlier run's results
 * first). Only a finished run can be re-run: while it runs, its results are not all there yet.
 */
export async function rerunFrom(
  services: Pick<Services, 'db' | 'queue' | 'store'>,
  runId: string,
  nodeId: string,
  actorId?: string,
): Promise<{ runId: string }> {
  const [row] = await services.db
    .select({ run: runs, file: pipelineVersions.file })
    .from(runs)
    .innerJoin(pipelineVersions, eq(pipelineVersions.id, runs.versionId))
    .where(eq(runs.id, runId))
  if (!row) throw new NotFoundError(`No run with id ${runId}.`)
  const { run, file } = row
  if (!isTerminalRun(run.status)) {
    throw new ConflictError(`Run ${runId} is still ${run.status}; re-run a node once the run has ended (or cancel it first).`)
  }
  const { plan } = compileOrThrow(file)
  requireNode(plan, nodeId, run.version)
  const newRunId = await createRun(services, {
    pipelineId: run.pipelineId,
    versionId: run.versionId,
    version: run.version,
    plan,
    actorId,
    rerun: { runId, nodeId, forcedNodeIds: downstreamOf(plan, nodeId) },
  })
  return { runId: newRunId }
}

function requireNode(plan: JobPlan, nodeId: string, version: number): void {
  if (plan.steps.some((step) => step.nodeId === nodeId)) return
  const known = plan.steps.map((step) => JSON.stringify(step.nodeId)).join(', ')
  const message = `No node ${JSON.stringify(nodeId.slice(0, 80))} in version ${version} of this pipeline; its nodes are ${known}.`
  throw new BadRequestError(message, [{ path: 'nodeId', message }])
}

/** The node and every node that depends on it, directly or through others. */
export function downstreamOf(plan: JobPlan, nodeId: string): Set<string> {
  const found = new Set([nodeId])
  // the plan is in topological order: one pass reaches every descendant
  for (const step of plan.steps) {
    if (step.dependsOn.some((upstream) => found.has(upstream))) found.add(step.nodeId)
  }
  return found
}
