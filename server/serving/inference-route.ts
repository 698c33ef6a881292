// Server-only: the wrapper of every inference route (V2, records). Who may call a deployment: anyone
// when it is public; else an `infer` token naming it, or any signed-in person or full token
// (operators try models from the browser). Each token is held to its request rate.
import { AuthError, can } from '@/server/auth/permissions'
import { boot } from '@/server/boot'
import { callerFromRequest, type Caller } from '@/server/http/actor'
import { readBodyBytes, readJson } from '@/server/http/body'
import { toErrorResponse } from '@/server/http/errors'
import { getServices, type Services } from '@/server/services'
import { servingHostOf, type ServingHost } from './host'
import type { LiveDeployment } from './live-deployments'
import { routingKeySchema } from './routing'

type RouteContext<P> = { params: Promise<P> }

export interface InferenceArgs<P> {
  request: Request
  params: P
  services: Services
  serving: ServingHost
  /** the deployment, once the caller may call it */
  open(name: string): Promise<LiveDeployment>
  /** the JSON body, within PIPEWRIGHT_MAX_INFER_BYTES */
  json(): Promise<unknown>
  /** the body as bytes, within PIPEWRIGHT_MAX_INFER_BYTES */
  bytes(): Promise<Uint8Array>
  /** the sticky routing key, from `X-Pipewright-Key` */
  key: string | undefined
}

/** `v2`: errors as the Open Inference Protocol has them, `{ "error": "..." }`; `api`: Pipewright's usual error body. */
export type ErrorFormat = 'v2' | 'api'

function allow(caller: Caller, live: LiveDeployment): void {
  const name = live.row.name
  if (caller.badCredential) throw new AuthError(401, 'The API token is not valid: it is unknown, revoked or malformed. Send "Authorization: Bearer <token>" with a current token.')
  if (live.row.public) return
  const infer = caller.token?.infer
  if (infer) {
    if (!infer.deployments.includes(name)) throw new AuthError(403, `The token ${JSON.stringify(caller.token!.name)} may not call deployment "${name}"; it may call ${infer.deployments.map((d) => `"${d}"`).join(', ') || 'none'}.`)
    return
  }
  if (!caller.actor) throw new AuthError(401, `Deployment "${name}" is not public: send "Authorization: Bearer <token>" with a token that may call it.`)
  if (!can(caller.actor, 'deployment:read')) throw new AuthError(403, `Your role (${caller.actor.role}) may not call deployments.`)
}

function errorAnswer(error: unknown, format: ErrorFormat): Response {
  const { status, body, headers } = toErrorResponse(error)
  return Response.json(format === 'v2' ? { error: body.error } : body, { status, headers })
}

function routingKey(request: Request): string | undefined {
  const header = request.headers.get('x-pipewright-key')
  if (header === null || header === '') return undefined
  return routingKeySchema.parse(header)
}

/** Inference changes nothing (its answers go to the prediction log, not the audit log): marked so the audit test tells it from a write. */
export function inferenceRoute<P = Record<string, never>>(format: ErrorFormat, handler: (args: InferenceArgs<P>) => Promise<Response | unknown>) {
  const route = async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      await boot()
      const services = await getServices()
      const serving = servingHostOf(services)
      const caller = await callerFromRequest(services, request)
      const open = async (name: string) => {
        const live = await serving.deployments.get(name)
        allow(caller, live)
        if (caller.token) serving.limiter.take(caller.token.id, caller.token.infer?.ratePerSecond ?? services.env.PIPEWRIGHT_INFER_RATE_PER_SECOND)
        return live
      }
      const maxBytes = services.env.PIPEWRIGHT_MAX_INFER_BYTES
      const json = () => readJson(request, { maxBytes })
      const bytes = () => readBodyBytes(request, maxBytes)
      const result = await handler({ request, params: await context.params, services, serving, open, json, bytes, key: routingKey(request) })
      return result instanceof Response ? result : Response.json(result)
    } catch (error) {
      return errorAnswer(error, format)
    }
  }
  return Object.assign(route, { audit: null, inference: true as const })
}
