import { z } from 'zod'
import { slugName } from '@/server/compiler/pipeline-file'
import { text } from '@/server/validation/text'
import { createTRPCRouter, procedureFor } from '@/server/api/trpc'
import { createApiToken, listApiTokens, revokeApiToken, tokenExpiryInput } from '@/server/auth/accounts'

export const tokensRouter = createTRPCRouter({
  list: procedureFor('token:manage-own').query(({ ctx }) => listApiTokens(ctx.services.db, ctx.actor.id)),

  /** The token is in this answer only; afterwards just its prefix is known. `expiresInDays: null`: never expires. */
  create: procedureFor('token:manage-own', { audit: 'token.create' })
    .input(
      z.object({
        name: text({ min: 1, max: 100, minMessage: 'give the token a name' }),
        expiresInDays: tokenExpiryInput.default(null),
        /** an inference-only token: it calls these deployments' inference endpoints and nothing else */
        infer: z
          .object({
            deployments: z.array(slugName).min(1, 'name at least one deployment').max(50),
            ratePerSecond: z.number().int().min(1).max(100_000).nullable().default(null),
          })
          .optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const created = await createApiToken(ctx.services.db, ctx.actor.id, input.name, input.expiresInDays, new Date(), input.infer)
      // the prefix tells tokens apart; the token itself never reaches the log
      ctx.audit.on(`token ${created.id}`, { name: input.name, prefix: created.prefix, expiresInDays: input.expiresInDays, ...(input.infer ? { infer: input.infer } : {}) })
      return created
    }),

  revoke: procedureFor('token:manage-own', { audit: 'token.revoke' })
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const revoked = await revokeApiToken(ctx.services.db, ctx.actor.id, input.id)
      ctx.audit.on(`token ${input.id}`, { revoked })
      return { revoked }
    }),
})
