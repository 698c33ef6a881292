/** Calls a Next.js route handler the way the server does, without a server. */
type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>

export interface CallOptions {
  token?: string
  json?: unknown
  body?: BodyInit
  headers?: Record<string, string>
}

export async function call<P>(handler: Handler<P>, method: string, url: string, params: P, options: CallOptions = {}) {
  const headers = new Headers(options.headers)
  if (options.token) headers.set('authorization', `Bearer ${options.token}`)
  let body = options.body
  if (options.json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(options.json)
  }
  const request = new Request(new URL(url, 'http://localhost'), { method, headers, body, duplex: 'half' } as RequestInit)
  const response = await handler(request, { params: Promise.resolve(params) })
  const text = await response.text()
  let payload: any // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    payload = JSON.parse(text)
  } catch {
    payload = text
  }
  return { status: response.status, body: payload, headers: response.headers }
}
