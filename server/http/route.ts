import { authorize, type Actor, type Requirement } from '@/server/auth/permissions'
import { boot } from '@/server/boot'
import { getServices, type Services } from '@/server/services'
import { actorFromRequest } from './actor'
import { BadRequestError, toErrorResponse } from './errors'

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
  action: Requirement,
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
      const { status, body } = toErrorResponse(error)
      return Response.json(body, { status })
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
      const { status, body } = toErrorResponse(error)
      return Response.json(body, { status })
    }
  }
}

export async function readJson(request: Request, whenEmpty?: unknown): Promise<unknown> {
  const text = await request.text()
  if (!text.trim()) {
    if (whenEmpty !== undefined) return whenEmpty
    throw new BadRequestError('The request body is empty; send JSON.')
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new BadRequestError(`The request body is not valid JSON: ${(error as Error).message}`)
  }
}
