import { z } from 'zod'
import { createTRPCRouter, procedureFor } from '@/server/api/trpc'
import { addUser, listUsers, removeUser, roleInput, setUserRole, userInput } from '@/server/auth/users'

export const usersRouter = createTRPCRouter({
  list: procedureFor('user:manage').query(({ ctx }) => listUsers(ctx.services.db)),

  create: procedureFor('user:manage')
    .input(userInput)
    .mutation(({ ctx, input }) => addUser(ctx.services.db, input)),

  setRole: procedureFor('user:manage')
    .input(roleInput.extend({ id: z.uuid() }))
    .mutation(({ ctx, input }) => setUserRole(ctx.services.db, input.id, input.role)),

  remove: procedureFor('user:manage')
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const removed = await removeUser(ctx.services.db, ctx.actor, input.id)
      return { removed: true, id: removed.id, email: removed.email }
    }),
})
