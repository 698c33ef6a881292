import { createTRPCRouter } from './trpc'
import { artifactsRouter } from './routers/artifacts'
import { pipelinesRouter } from './routers/pipelines'
import { runsRouter } from './routers/runs'
import { tokensRouter } from './routers/tokens'
import { usersRouter } from './routers/users'

/** Every router, registered by hand: the list is the API. */
export const appRouter = createTRPCRouter({
  artifacts: artifactsRouter,
  pipelines: pipelinesRouter,
  runs: runsRouter,
  tokens: tokensRouter,
  users: usersRouter,
})

export type AppRouter = typeof appRouter
