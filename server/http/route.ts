import { authorize, type Action, type Actor } from '@/server/auth/permissions'
import { boot } from '@/server/boot'
import { getServices, type Services } from '@/server/services'
import { actorFromRequest } from './actor'
import { toErrorResponse } from './errors'

export { bodyLimits, readJson } from './body'

interface HandlerArgs<P> {
  request: Request
  params: P
  services: Services
  actor: Actor
}

type RouteContext<P> = { params: Promise<P> }

/**
 * Wraps a REST route: services ready, caller authenticated and authorized for `action`
 * (the same check tRPC uses), errors turned into JSON with the right status.
 */
export function apiRoute<P = Record<string, never>>(
  action: Action,
  handler: (args: HandlerArgs<P>) => Promise<Response | unknown>,
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      await boot()
      const services = await getServices()
      const actor = authorize(await actorFromRequest(services, request), action)
      const result = await handler({ request, params: await context.params, services, actor })
      return result instanceof Response ? result : Response.json(result)
    } catch (error) {
      return errorResponse(error)
    }
  }
}

/** For routes anyone may call (setup): same error handling, no actor. */
export function publicRoute<P = Record<string, never>>(
  handler: (args: { request: Request; params: P; services: Services }) => Promise<Response | unknown>,
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      await boot()
      const services = await getServices()
      const result = await handler({ request, params: await context.params, services })
      return result instanceof Response ? result : Response.json(result)
    } catch (error) {
      return errorResponse(error)
    }
  }
}

export function errorResponse(error: unknown): Response {
  const { status, body, headers } = toErrorResponse(error)
  return Response.json(body, { status, headers })
}
