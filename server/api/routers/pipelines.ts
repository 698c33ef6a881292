import { z } from 'zod'
import { createTRPCRouter, procedureFor } from '@/server/api/trpc'
import { versionNumber } from '@/server/http/ids'
import { text } from '@/server/validation/text'
import { discardDraft, getDraft, saveDraft } from '@/server/pipelines/drafts'
import {
  createEmptyPipeline,
  getPipeline,
  getVersion,
  listPipelines,
  listVersions,
  restoreVersion,
  savePipelineVersion,
} from '@/server/pipelines/pipelines'
import { listRuns } from '@/server/runner/runs'

const pipelineId = z.object({ id: z.uuid() })

/**
 * The canvas's drafts: one per pipeline for the signed-in user, autosaved, never seen by anyone else.
 * Not audited: an autosave every few seconds is no change anyone else sees; the save that makes a
 * version is.
 */
const draftRouter = createTRPCRouter({
  get: procedureFor('pipeline:edit')
    .input(pipelineId)
    .query(({ ctx, input }) => getDraft(ctx.services.db, input.id, ctx.actor.id)),

  save: procedureFor('pipeline:edit')
    .input(z.object({ id: z.uuid(), baseVersion: versionNumber, file: z.unknown() }))
    .mutation(({ ctx, input }) => saveDraft(ctx.services.db, input.id, ctx.actor.id, input)),

  discard: procedureFor('pipeline:edit')
    .input(pipelineId)
    .mutation(({ ctx, input }) => discardDraft(ctx.services.db, input.id, ctx.actor.id)),
})

export const pipelinesRouter = createTRPCRouter({
  list: procedureFor('pipeline:read').query(({ ctx }) => listPipelines(ctx.services.db)),

  get: procedureFor('pipeline:read')
    .input(z.object({ id: z.uuid(), version: versionNumber.optional() }))
    .query(async ({ ctx, input }) => {
      const pipeline = await getPipeline(ctx.services.db, input.id)
      const [version, versions, runs] = await Promise.all([
        getVersion(ctx.services.db, input.id, input.version),
        listVersions(ctx.services.db, input.id),
        listRuns(ctx.services.db, input.id),
      ])
      return { pipeline, version, versions, runs }
    }),

  /** A new pipeline with an empty v1; the name follows the pipeline file's rules. */
  create: procedureFor('pipeline:edit', { audit: 'pipeline.create' })
    .input(z.object({ name: text({ max: 200 }) }))
    .mutation(async ({ ctx, input }) => {
      const { id, version } = await createEmptyPipeline(ctx.services.db, input.name, ctx.actor.id)
      ctx.audit.on(`pipeline ${id}`, { name: input.name, version })
      return { id }
    }),

  /**
   * Saves the canvas as a new version. Config errors do not stop a save (they stop a run); a file of
   * the wrong shape does. When the head moved past `baseVersion` the save still wins, and
   * `overwroteVersion` names the head it replaced.
   */
  save: procedureFor('pipeline:edit', { audit: 'pipeline.save' })
    .input(z.object({ id: z.uuid(), file: z.unknown(), message: text({ max: 500 }).optional(), baseVersion: versionNumber.optional() }))
    .mutation(async ({ ctx, input }): Promise<{ version: number; overwroteVersion?: number }> => {
      const { version } = await savePipelineVersion(ctx.services.db, input.id, input.file, {
        actorId: ctx.actor.id,
        message: input.message || undefined,
        allowCompileErrors: true,
      })
      ctx.audit.on(`pipeline ${input.id}`, { version, ...(input.message ? { message: input.message } : {}) })
      // the head this save replaced: versions are numbered without gaps, under a row lock
      const replaced = version - 1
      return input.baseVersion !== undefined && replaced > input.baseVersion ? { version, overwroteVersion: replaced } : { version }
    }),

  /** One version's file, with its message and author. */
  version: procedureFor('pipeline:read')
    .input(z.object({ id: z.uuid(), version: versionNumber }))
    .query(async ({ ctx, input }) => {
      const found = await getVersion(ctx.services.db, input.id, input.version)
      return {
        version: found.version,
        file: found.file,
        message: found.message,
        createdAt: found.createdAt,
        createdBy: found.createdBy,
        createdByName: found.createdByName,
        createdByEmail: found.createdByEmail,
      }
    }),

  versions: procedureFor('pipeline:read')
    .input(pipelineId)
    .query(({ ctx, input }) => listVersions(ctx.services.db, input.id)),

  /** Saves an earlier version's file as the new head ("Restored v3"). */
  restore: procedureFor('pipeline:edit', { audit: 'pipeline.restore' })
    .input(z.object({ id: z.uuid(), version: versionNumber }))
    .mutation(async ({ ctx, input }) => {
      const { version } = await restoreVersion(ctx.services.db, input.id, input.version, ctx.actor.id)
      ctx.audit.on(`pipeline ${input.id}`, { restored: input.version, version })
      return { version }
    }),

  draft: draftRouter,
})
