import { z } from 'zod'
import { createTRPCRouter, procedureFor } from '@/server/api/trpc'
import { addUser, listUsers, removeUser, roleInput, setUserRole, userInput } from '@/server/auth/users'

export const usersRouter = createTRPCRouter({
  list: procedureFor('user:manage').query(({ ctx }) => listUsers(ctx.services.db)),

  create: procedureFor('user:manage', { audit: 'user.create' })
    .input(userInput)
    .mutation(async ({ ctx, input }) => {
      const user = await addUser(ctx.services.db, input)
      ctx.audit.on(`user ${user.email}`, { userId: user.id, role: user.role })
      return user
    }),

  setRole: procedureFor('user:manage', { audit: 'user.role-change' })
    .input(roleInput.extend({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const user = await setUserRole(ctx.services.db, input.id, input.role)
      ctx.audit.on(`user ${user.email}`, { userId: user.id, role: user.role })
      return user
    }),

  remove: procedureFor('user:manage', { audit: 'user.remove' })
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const removed = await removeUser(ctx.services.db, ctx.actor, input.id)
      ctx.audit.on(`user ${removed.email}`, { userId: removed.id, role: removed.role })
      return { removed: true, id: removed.id, email: removed.email }
    }),
})
