// Server-only: a node:http server that answers the inference routes — `/v2/**` and
// `POST /api/v1/deployments/{name}/predict` — with the very route handlers Next.js serves, so a
// `serve` process and the web app answer alike. Each IncomingMessage becomes a web Request with its
// body read (at most PIPEWRIGHT_MAX_INFER_BYTES of it, as the handlers would read); every other path
// is a 404 in the V2 error format.
import http from 'node:http'
import { logger } from '@/server/logger'

// `never`: every route's own params type fits here; the matched params are checked by the handler's ids
type RouteHandler = (request: Request, context: { params: Promise<never> }) => Promise<Response>
type RouteModule = Partial<Record<'GET' | 'POST', RouteHandler>>

interface RouteEntry {
  /** path segments; `:name` segments are parameters */
  pattern: string[]
  load: () => Promise<RouteModule>
}

/** The inference routes, in the order they are tried; the modules load on first use. */
const routeTable: RouteEntry[] = [
  { pattern: ['v2'], load: () => import('@/app/v2/route') },
  { pattern: ['v2', 'health', 'live'], load: () => import('@/app/v2/health/live/route') },
  { pattern: ['v2', 'health', 'ready'], load: () => import('@/app/v2/health/ready/route') },
  { pattern: ['v2', 'models', ':name'], load: () => import('@/app/v2/models/[name]/route') },
  { pattern: ['v2', 'models', ':name', 'ready'], load: () => import('@/app/v2/models/[name]/ready/route') },
  { pattern: ['v2', 'models', ':name', 'infer'], load: () => import('@/app/v2/models/[name]/infer/route') },
  { pattern: ['v2', 'models', ':name', 'versions', ':version'], load: () => import('@/app/v2/models/[name]/versions/[version]/route') },
  { pattern: ['v2', 'models', ':name', 'versions', ':version', 'ready'], load: () => import('@/app/v2/models/[name]/versions/[version]/ready/route') },
  { pattern: ['v2', 'models', ':name', 'versions', ':version', 'infer'], load: () => import('@/app/v2/models/[name]/versions/[version]/infer/route') },
  { pattern: ['api', 'v1', 'deployments', ':name', 'predict'], load: () => import('@/app/api/v1/deployments/[name]/predict/route') },
]

const loaded = new Map<RouteEntry, Promise<RouteModule>>()

/**
 * Each route module is imported once: `import()` of a module already loaded still walks the module
 * loader (under tsx, a round trip to its hooks thread), which cost more than the inference itself.
 */
function loadRoute(entry: RouteEntry): Promise<RouteModule> {
  let route = loaded.get(entry)
  if (!route) {
    route = entry.load()
    loaded.set(entry, route)
  }
  return route
}

export interface MatchedRoute {
  entry: RouteEntry
  params: Record<string, string>
}

/** The route a path names, its parameters decoded; null when none does (or a segment is not valid percent-encoding). */
export function matchRoute(pathname: string): MatchedRoute | null {
  const segments = pathname.split('/').filter((s) => s !== '')
  for (const entry of routeTable) {
    if (entry.pattern.length !== segments.length) continue
    const params: Record<string, string> = {}
    const matches = entry.pattern.every((part, i) => {
      const segment = segments[i]!
      if (!part.startsWith(':')) return part === segment
      try {
        params[part.slice(1)] = decodeURIComponent(segment)
        return true
      } catch {
        return false
      }
    })
    if (matches) return { entry, params }
  }
  return null
}

const v2Error = (status: number, error: string, headers: Record<string, string> = {}) => Response.json({ error }, { status, headers })

/**
 * The body's bytes, read in node's own terms (a web stream per request cost more than the model
 * run): all of it, or — past `maxBytes` — the first `maxBytes + 1`, which the handler refuses with
 * its 413 while the socket is left paused for the lingering close. A declared Content-Length over
 * the limit is not read at all: the handler refuses it by the header.
 */
function readBody(incoming: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(incoming.headers['content-length'] ?? '')
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(Buffer.alloc(0))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = () => {
      incoming.off('data', onData).off('end', finish).off('error', onError)
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
    }
    const onData = (chunk: Buffer) => {
      chunks.push(chunk)
      size += chunk.length
      if (size > maxBytes) {
        incoming.pause()
        finish()
      }
    }
    const onError = (error: Error) => {
      incoming.off('data', onData).off('end', finish)
      reject(error)
    }
    incoming.on('data', onData).once('end', finish).once('error', onError)
  })
}

async function toWebRequest(incoming: http.IncomingMessage, url: URL, signal: AbortSignal, maxBodyBytes: number): Promise<Request> {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  const method = incoming.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  return new Request(url, { method, headers, signal, ...(hasBody ? { body: (await readBody(incoming, maxBodyBytes)) as Uint8Array<ArrayBuffer> } : {}) })
}

async function dispatch(incoming: http.IncomingMessage, signal: AbortSignal, maxBodyBytes: number): Promise<Response> {
  const url = new URL(incoming.url ?? '/', 'http://localhost')
  const matched = matchRoute(url.pathname)
  if (!matched) return v2Error(404, `Nothing here: ${url.pathname} is not an inference route. This server answers /v2/... and POST /api/v1/deployments/{name}/predict.`)
  const route = await loadRoute(matched.entry)
  const method = incoming.method === 'HEAD' ? 'GET' : (incoming.method ?? 'GET')
  const handler = method === 'GET' || method === 'POST' ? route[method] : undefined
  if (!handler) {
    const allowed = (['GET', 'POST'] as const).filter((m) => route[m]).join(', ')
    return v2Error(405, `${incoming.method} is not allowed on ${url.pathname}; use ${allowed}.`, { allow: allowed })
  }
  return handler(await toWebRequest(incoming, url, signal, maxBodyBytes), { params: Promise.resolve(matched.params) as Promise<never> })
}

const lingerMs = 2000
const lingerBytes = 64 * 1024 * 1024

function drainBriefly(incoming: http.IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let drained = 0
    const done = () => {
      clearTimeout(timer)
      incoming.off('data', onData).off('end', done).off('error', done)
      resolve()
    }
    const onData = (chunk: Buffer) => {
      drained += chunk.length
      if (drained > lingerBytes) done()
    }
    const timer = setTimeout(done, lingerMs)
    // whatever still fed the handler's body stream lets go: from here the bytes are dropped
    incoming.removeAllListeners('data')
    incoming.on('data', onData).once('end', done).once('error', done)
    incoming.resume()
  })
}

/** Writes the answer in one go: inference answers are bounded, and one write with the head is the cheapest. */
async function send(response: Response, incoming: http.IncomingMessage, outgoing: http.ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return
    headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  // a body left unread (refused as too large): read and drop what the client is still sending, for a
  // moment, so it hears the 413 instead of a broken pipe (a lingering close); then the connection closes
  if (!incoming.complete) {
    await drainBriefly(incoming)
    headers.connection = 'close'
  }
  if (!response.body || incoming.method === 'HEAD') {
    outgoing.writeHead(response.status, headers).end()
    await response.body?.cancel()
    return
  }
  const body = Buffer.from(await response.arrayBuffer())
  headers['content-length'] = String(body.byteLength)
  outgoing.writeHead(response.status, headers).end(body)
}

async function answer(incoming: http.IncomingMessage, outgoing: http.ServerResponse, maxBodyBytes: number): Promise<void> {
  // the caller going away aborts the request (and whatever reads its body)
  const aborted = new AbortController()
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) aborted.abort()
  })
  let response: Response
  try {
    response = await dispatch(incoming, aborted.signal, maxBodyBytes)
  } catch (error) {
    // the handlers answer their own errors; this is a fault of this server, not of the request
    logger.error({ err: error, url: incoming.url }, 'serve: a request failed outside its route')
    response = v2Error(500, 'The server failed to answer this request.')
  }
  try {
    await send(response, incoming, outgoing)
  } catch (error) {
    if (!aborted.signal.aborted) logger.warn({ err: error, url: incoming.url }, 'serve: could not send an answer')
    outgoing.destroy()
  }
}

/** `maxBodyBytes`: PIPEWRIGHT_MAX_INFER_BYTES, the most of a body read before its handler refuses it. */
export function createInferenceServer(maxBodyBytes: number): http.Server {
  const server = http.createServer((incoming, outgoing) => void answer(incoming, outgoing, maxBodyBytes))
  // keep-alive longer than typical load balancers' idle timeout, so they close first
  server.keepAliveTimeout = 65_000
  return server
}
