import { z } from 'zod'
import { createTRPCRouter, procedureFor } from '@/server/api/trpc'
import { getPipeline, getVersion, listPipelines, listVersions } from '@/server/pipelines/pipelines'
import { listRuns } from '@/server/runner/runs'

export const pipelinesRouter = createTRPCRouter({
  list: procedureFor('pipeline:read').query(({ ctx }) => listPipelines(ctx.services.db)),

  get: procedureFor('pipeline:read')
    .input(z.object({ id: z.uuid(), version: z.number().int().min(1).optional() }))
    .query(async ({ ctx, input }) => {
      const pipeline = await getPipeline(ctx.services.db, input.id)
      const [version, versions, runs] = await Promise.all([
        getVersion(ctx.services.db, input.id, input.version),
        listVersions(ctx.services.db, input.id),
        listRuns(ctx.services.db, input.id),
      ])
      return { pipeline, version, versions, runs }
    }),
})
