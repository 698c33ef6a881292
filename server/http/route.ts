import type { AuditAction } from '@/server/audit/actions'
import { AuditCall } from '@/server/audit/call'
import { AuditNote, recordAudit } from '@/server/audit/record'
import { AuthError, authorize, type Actor, type Requirement } from '@/server/auth/permissions'
import { boot } from '@/server/boot'
import { getServices, type Services } from '@/server/services'
import { callerFromRequest, type Caller } from './actor'
import { toErrorResponse } from './errors'

export { bodyLimits, readJson } from './body'

interface HandlerArgs<P> {
  request: Request
  params: P
  services: Services
  actor: Actor
  /** the target and details of the audit entry the wrapper records (when the route is audited) */
  audit: AuditNote
}

type RouteContext<P> = { params: Promise<P> }

export interface RouteOptions {
  /** recorded in the audit log on success, and as `refused` on a 403; every change names one */
  audit?: AuditAction
}

/** The route's audit action rides on the handler, so a test can check that no write route lacks one. */
export type RouteHandler<P> = ((request: Request, context: RouteContext<P>) => Promise<Response>) & { audit: AuditAction | null }

function beginAudit(services: Services, caller: Caller, action: AuditAction | undefined): AuditCall | null {
  return action ? new AuditCall(services.db, action, caller.actor, Promise.resolve(caller.client)) : null
}

function inferOnly(name: string, deployments: readonly string[]): AuthError {
  return new AuthError(403, `The token ${JSON.stringify(name)} may only call the inference endpoints of ${deployments.map((d) => JSON.stringify(d)).join(', ') || 'no deployment'}.`)
}

/** A refused entry says what was attempted, since the handler never ran to name a target. */
const attempted = (request: Request) => ({ method: request.method, path: new URL(request.url).pathname })

/** A handler that answered an error itself changed nothing, unless it says it refused someone. */
const worthRecording = (result: unknown, note: AuditNote) => !(result instanceof Response) || result.ok || note.outcome === 'refused'

/**
 * Wraps a REST route: services ready, caller authenticated and authorized for `action`
 * (the same check tRPC uses), errors turned into JSON with the right status.
 */
export function apiRoute<P = Record<string, never>>(
  action: Requirement,
  handler: (args: HandlerArgs<P>) => Promise<Response | unknown>,
  options: RouteOptions = {},
): RouteHandler<P> {
  const route = async (request: Request, context: RouteContext<P>): Promise<Response> => {
    let audit: AuditCall | null = null
    try {
      await boot()
      const services = await getServices()
      const caller = await callerFromRequest(services, request)
      audit = beginAudit(services, caller, options.audit)
      if (caller.token?.infer) throw inferOnly(caller.token.name, caller.token.infer.deployments)
      const actor = authorize(caller.actor, action)
      const note = new AuditNote()
      const result = await handler({ request, params: await context.params, services, actor, audit: note })
      if (audit && worthRecording(result, note)) await audit.succeeded(note)
      return result instanceof Response ? result : Response.json(result)
    } catch (error) {
      if (error instanceof AuthError && error.status === 403) await audit?.refused(error, attempted(request))
      return errorResponse(error)
    }
  }
  return Object.assign(route, { audit: options.audit ?? null })
}

/**
 * For routes anyone may call (setup, sign-in, a rating link): same error handling, no actor. An
 * audited one is recorded when its handler has said who acted (`audit.who`).
 */
export function publicRoute<P = Record<string, never>>(
  handler: (args: { request: Request; params: P; services: Services; audit: AuditNote }) => Promise<Response | unknown>,
  options: RouteOptions = {},
): RouteHandler<P> {
  const route = async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      await boot()
      const services = await getServices()
      const note = new AuditNote()
      const result = await handler({ request, params: await context.params, services, audit: note })
      if (options.audit && note.who && worthRecording(result, note)) {
        await recordAudit(services.db, { who: note.who, action: options.audit, target: note.target, outcome: note.outcome, details: note.details })
      }
      return result instanceof Response ? result : Response.json(result)
    } catch (error) {
      return errorResponse(error)
    }
  }
  return Object.assign(route, { audit: options.audit ?? null })
}

export function errorResponse(error: unknown): Response {
  const { status, body, headers } = toErrorResponse(error)
  return Response.json(body, { status, headers })
}
