import { z } from 'zod'
import { createTRPCRouter, procedureFor } from '@/server/api/trpc'
import { createApiToken, listApiTokens, revokeApiToken, tokenExpiryInput } from '@/server/auth/accounts'

export const tokensRouter = createTRPCRouter({
  list: procedureFor('token:manage-own').query(({ ctx }) => listApiTokens(ctx.services.db, ctx.actor.id)),

  /** The token is in this answer only; afterwards just its prefix is known. `expiresInDays: null`: never expires. */
  create: procedureFor('token:manage-own')
    .input(z.object({ name: z.string().trim().min(1, 'give the token a name').max(100), expiresInDays: tokenExpiryInput.default(null) }))
    .mutation(({ ctx, input }) => createApiToken(ctx.services.db, ctx.actor.id, input.name, input.expiresInDays)),

  revoke: procedureFor('token:manage-own')
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => ({ revoked: await revokeApiToken(ctx.services.db, ctx.actor.id, input.id) })),
})
