import { z } from 'zod'
import { text } from '@/server/validation/text'
import { createTRPCRouter, procedureFor } from '@/server/api/trpc'
import { createApiToken, listApiTokens, revokeApiToken, tokenExpiryInput } from '@/server/auth/accounts'

export const tokensRouter = createTRPCRouter({
  list: procedureFor('token:manage-own').query(({ ctx }) => listApiTokens(ctx.services.db, ctx.actor.id)),

  /** The token is in this answer only; afterwards just its prefix is known. `expiresInDays: null`: never expires. */
  create: procedureFor('token:manage-own')
    .input(z.object({ name: text({ min: 1, max: 100, minMessage: 'give the token a name' }), expiresInDays: tokenExpiryInput.default(null) }))
    .mutation(({ ctx, input }) => createApiToken(ctx.services.db, ctx.actor.id, input.name, input.expiresInDays)),

  revoke: procedureFor('token:manage-own')
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => ({ revoked: await revokeApiToken(ctx.services.db, ctx.actor.id, input.id) })),
})
