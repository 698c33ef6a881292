import { z } from 'zod'
import { createTRPCRouter, procedureFor } from '@/server/api/trpc'
import { previewArtifact } from '@/server/artifacts/preview'

const artifactId = z.string().regex(/^[0-9a-f]{64}$/, 'an artifact id is a sha256 in hex')

export const artifactsRouter = createTRPCRouter({
  preview: procedureFor('artifact:read')
    .input(z.object({ id: artifactId, limit: z.number().int().min(1).max(1000).default(100) }))
    .query(({ ctx, input }) => previewArtifact(ctx.services.db, ctx.services.store, input.id, input.limit)),
})
