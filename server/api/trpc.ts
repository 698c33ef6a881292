import { initTRPC, TRPCError } from '@trpc/server'
import superjson from 'superjson'
import { ZodError } from 'zod'
import { authorize, AuthError, type Actor, type Requirement } from '@/server/auth/permissions'
import { boot } from '@/server/boot'
import { actorFromRequest } from '@/server/http/actor'
import { toErrorResponse } from '@/server/http/errors'
import { PipelineInvalidError } from '@/server/pipelines/pipelines'
import { getServices, type Services } from '@/server/services'

export async function createContext(opts: { req: Request }): Promise<{ services: Services; actor: Actor | null }> {
  await boot()
  const services = await getServices()
  return { services, actor: await actorFromRequest(services, opts.req) }
}
type Context = Awaited<ReturnType<typeof createContext>>

/** What each procedure needs, as data: the access test walks `appRouter._def.procedures` and reads it. */
export interface ProcedureMeta {
  action: Requirement
}

const t = initTRPC.context<Context>().meta<ProcedureMeta>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodIssues = error.cause instanceof ZodError ? error.cause.issues : undefined
    /** every problem with a pipeline file (code, message, path, nodeId, field), so the canvas can mark them all */
    const pipelineErrors = error.cause instanceof PipelineInvalidError ? error.cause.errors : undefined
    return { ...shape, data: { ...shape.data, zodIssues, pipelineErrors } }
  },
})

export const createTRPCRouter = t.router

const codeByStatus: Record<number, TRPCError['code']> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
}

/** Domain errors become the same statuses and messages the REST API gives. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next()
  if (!result.ok && !(result.error.cause instanceof ZodError) && result.error.cause) {
    const { status, body } = toErrorResponse(result.error.cause)
    throw new TRPCError({ code: codeByStatus[status] ?? 'INTERNAL_SERVER_ERROR', message: body.error, cause: result.error.cause })
  }
  return result
})

/** Every procedure names the action it performs; `authorize` is the one permission check. */
export function procedureFor(action: Requirement) {
  return t.procedure.meta({ action }).use(mapErrors).use(({ ctx, next }) => {
    try {
      return next({ ctx: { ...ctx, actor: authorize(ctx.actor, action) } })
    } catch (error) {
      if (error instanceof AuthError) {
        throw new TRPCError({ code: error.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', message: error.message })
      }
      throw error
    }
  })
}
