import { z } from 'zod'
import { requireUuid, versionNumber } from '@/server/http/ids'
import { apiRoute, readJson } from '@/server/http/route'
import { listRuns, startRun } from '@/server/runner/runs'

type Params = { pipelineId: string }

const startRunBody = z
  .object({
    /** a pipeline version; the head when absent */
    version: versionNumber.optional(),
    /** run every step even when a cached result exists */
    noCache: z.boolean().optional(),
  })
  .strict()

export const GET = apiRoute<Params>('pipeline:read', async ({ params, services }) => ({
  runs: await listRuns(services.db, requireUuid(params.pipelineId, 'pipeline')),
}))

export const POST = apiRoute<Params>(
  'pipeline:run',
  async ({ request, params, services, actor, audit }) => {
    const body = startRunBody.parse(await readJson(request, { whenEmpty: {} }))
    const pipelineId = requireUuid(params.pipelineId, 'pipeline')
    const { runId } = await startRun(services, pipelineId, { ...body, actorId: actor.id })
    audit.on(`run ${runId}`, { pipelineId, ...body })
    return Response.json({ runId }, { status: 201 })
  },
  { audit: 'run.start' },
)
