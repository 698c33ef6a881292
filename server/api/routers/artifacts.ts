import { z } from 'zod'
import { createTRPCRouter, procedureFor } from '@/server/api/trpc'
import { describeArtifact } from '@/server/artifacts/describe'
import { findArtifact } from '@/server/artifacts/metadata'
import { previewArtifact } from '@/server/artifacts/preview'
import { imageLabelCounts, imagePageQuery, imageRows } from '@/server/artifacts/image-rows'
import { datasetRows, pageQuery } from '@/server/artifacts/rows'
import { NotFoundError } from '@/server/errors'

const artifactId = z.string().regex(/^[0-9a-f]{64}$/, 'an artifact id is a sha256 in hex')

export const artifactsRouter = createTRPCRouter({
  preview: procedureFor('artifact:read')
    .input(z.object({ id: artifactId, limit: z.number().int().min(1).max(1000).default(100) }))
    .query(({ ctx, input }) => previewArtifact(ctx.services.db, ctx.services.store, input.id, input.limit)),

  /** one page of a dataset's rows, as `GET /api/v1/artifacts/{id}/rows` answers it */
  rows: procedureFor('artifact:read')
    .input(pageQuery.extend({ id: artifactId }))
    .query(({ ctx, input }) => datasetRows(ctx.services.db, ctx.services.store, input.id, input)),

  /** the image grid: a page of an image dataset, optionally of one label */
  images: procedureFor('artifact:read')
    .input(imagePageQuery.extend({ id: artifactId }))
    .query(({ ctx, input }) => imageRows(ctx.services.db, ctx.services.store, input.id, input)),

  /** the image grid's filter: images per label */
  imageLabels: procedureFor('artifact:read')
    .input(z.object({ id: artifactId }))
    .query(({ ctx, input }) => imageLabelCounts(ctx.services.db, ctx.services.store, input.id)),

  /** an artifact's metadata (a dataset's columns and row count) without reading the file */
  describe: procedureFor('artifact:read')
    .input(z.object({ id: artifactId }))
    .query(async ({ ctx, input }) => {
      const row = await findArtifact(ctx.services.db, input.id)
      if (!row) throw new NotFoundError(`No artifact with id ${input.id}.`)
      return describeArtifact(row)
    }),
})
