import { createTRPCRouter } from './trpc'
import { artifactsRouter } from './routers/artifacts'
import { pipelinesRouter } from './routers/pipelines'
import { runsRouter } from './routers/runs'
import { tokensRouter } from './routers/tokens'

/** Every router, registered by hand: the list is the API. */
export const appRouter = createTRPCRouter({
  artifacts: artifactsRouter,
  pipelines: pipelinesRouter,
  runs: runsRouter,
  tokens: tokensRouter,
})

export type AppRouter = typeof appRouter
