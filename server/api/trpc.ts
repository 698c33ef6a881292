import { initTRPC, TRPCError } from '@trpc/server'
import superjson from 'superjson'
import { ZodError } from 'zod'
import type { AuditAction } from '@/server/audit/actions'
import { AuditCall } from '@/server/audit/call'
import { AuditNote } from '@/server/audit/record'
import { authorize, AuthError, type Actor, type Requirement } from '@/server/auth/permissions'
import { boot } from '@/server/boot'
import { callerFromRequest } from '@/server/http/actor'
import { toErrorResponse } from '@/server/http/errors'
import { findBadString } from '@/server/validation/text'
import { PipelineInvalidError } from '@/server/pipelines/pipelines'
import { getServices, type Services } from '@/server/services'

/**
 * `client` names the caller's client for the audit log (`browser session`, `token "ci"`);
 * `authProblem` is a credential refused with a reason (an expired token): every procedure answers
 * 401 with that message, not a bare one.
 */
export async function createContext(opts: { req: Request }): Promise<{ services: Services; actor: Actor | null; client?: string; authProblem?: AuthError }> {
  await boot()
  const services = await getServices()
  try {
    return { services, ...(await callerFromRequest(services, opts.req)) }
  } catch (error) {
    if (error instanceof AuthError) return { services, actor: null, client: 'expired token', authProblem: error }
    throw error
  }
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
  429: 'TOO_MANY_REQUESTS',
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

/** No string a database would refuse (NUL, lone surrogates) gets past the door, whatever the input's shape. */
const refuseBadText = t.middleware(async ({ getRawInput, next }) => {
  const bad = findBadString(await getRawInput())
  if (bad) throw new TRPCError({ code: 'BAD_REQUEST', message: `${bad.path.join('.') || '(input)'}: ${bad.message}` })
  return next()
})

/**
 * Every procedure names the action it performs; `authorize` is the one permission check. A
 * mutation that changes something names its audit action too: recorded on success (the handler
 * adds target and details through `ctx.audit`) and as `refused` on a 403.
 */
export function procedureFor(action: Requirement, options: { audit?: AuditAction } = {}) {
  return t.procedure.meta({ action }).use(mapErrors).use(refuseBadText).use(async ({ ctx, next, path }) => {
    const audit = options.audit ? new AuditCall(ctx.services.db, options.audit, ctx.actor, Promise.resolve(ctx.client ?? 'server call')) : null
    let actor: Actor
    try {
      if (ctx.authProblem) throw ctx.authProblem
      actor = authorize(ctx.actor, action)
    } catch (error) {
      if (error instanceof AuthError) {
        if (error.status === 403) await audit?.refused(error, { procedure: path })
        throw new TRPCError({ code: error.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', message: error.message })
      }
      throw error
    }
    const note = new AuditNote()
    const result = await next({ ctx: { ...ctx, actor, audit: note } })
    if (audit && result.ok) await audit.succeeded(note)
    return result
  })
}
