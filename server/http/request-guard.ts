/**
 * Checks every request passes before any route sees it (run by `proxy.ts`): path escapes that
 * cannot be decoded, and cross-site writes that ride on the browser's cookie. Pure functions of
 * the request's URL, method and headers, so they are tested without a server.
 */

export interface GuardRefusal {
  status: 400 | 403 | 415
  error: string
}

interface RequestFacts {
  method: string
  pathname: string
  headers: Headers
  /** the app's own origin as the client sees it, e.g. `https://pipewright.example.org` */
  ownOrigins: readonly string[]
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/** A path whose percent-escapes do not decode (`%zz`, `%ff%fe`, `%c0%af`, `%`) names nothing: 400. */
export function malformedPath(pathname: string): GuardRefusal | undefined {
  for (const segment of pathname.split('/')) {
    try {
      decodeURIComponent(segment)
    } catch {
      const shown = segment.length > 40 ? `${segment.slice(0, 40)}…` : segment
      return { status: 400, error: `The path segment "${shown}" has a malformed percent-escape (each % must start a valid UTF-8 escape such as %20).` }
    }
  }
  return undefined
}

/**
 * Cross-site request forgery: a write that a browser could send from another site with the
 * user's cookie riding along. Requests with a Bearer token carry their own credential and pass.
 * Sign-in and setup are checked even without a cookie (login CSRF).
 */
export function crossSiteWrite(facts: RequestFacts): GuardRefusal | undefined {
  if (safeMethods.has(facts.method)) return undefined
  const { headers } = facts
  if (/^Bearer\s/i.test(headers.get('authorization') ?? '')) return undefined
  const ridesOnCookie = /(?:^|;\s*)pw_session=/.test(headers.get('cookie') ?? '')
  const signsIn = facts.pathname.startsWith('/api/auth/')
  if (!ridesOnCookie && !signsIn) return undefined
  return originProblem(facts) ?? contentTypeProblem(facts)
}

function originProblem({ headers, ownOrigins }: RequestFacts): GuardRefusal | undefined {
  const origin = headers.get('origin')
  if (origin && origin !== 'null') {
    if (ownOrigins.includes(origin)) return undefined
    return { status: 403, error: `Refused: this request came from another site (${origin.slice(0, 100)}). Use the app itself, or an API token.` }
  }
  const site = headers.get('sec-fetch-site')
  if (site === 'same-origin' || site === 'none') return undefined
  if (site || origin === 'null') return { status: 403, error: 'Refused: this request came from another site. Use the app itself, or an API token.' }
  // no Origin and no Sec-Fetch-Site: not a browser (browsers send Origin on every write). Without a
  // cookie (curl signing in) there is nothing to forge; with one, the client should use a token
  return headers.has('cookie')
    ? { status: 403, error: 'Refused: a write with a session cookie needs an Origin header. Scripts should send "Authorization: Bearer <token>" instead.' }
    : undefined
}

/** The content types a page on another site may send without asking first (no CORS preflight). */
const formTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']

function contentTypeProblem({ headers, pathname }: RequestFacts): GuardRefusal | undefined {
  const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const hasBody = Number(headers.get('content-length') ?? '0') > 0 || headers.has('transfer-encoding')
  if (!type) return hasBody ? { status: 415, error: 'Send a Content-Type: application/json body.' } : undefined
  if (type === 'multipart/form-data' && pathname === '/api/v1/uploads') return undefined
  if (formTypes.includes(type)) return { status: 415, error: `Refused: a ${type} body; send Content-Type: application/json.` }
  return undefined
}

/** The origins this app answers as: the configured public URL, and the Host the request names. */
export function ownOriginsOf(requestUrl: URL, headers: Headers, publicUrl: string | undefined): string[] {
  const origins = new Set<string>()
  if (publicUrl) origins.add(new URL(publicUrl).origin)
  const host = headers.get('x-forwarded-host')?.split(',')[0]?.trim() || headers.get('host')
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || requestUrl.protocol.replace(':', '')
  if (host) origins.add(`${proto}://${host}`)
  origins.add(requestUrl.origin)
  return [...origins]
}

const commonHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
}

/** API answers (JSON, CSV, file downloads) load nothing and may be framed by nobody. */
export const apiSecurityHeaders: Record<string, string> = {
  'Content-Security-Policy': `default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  ...commonHeaders,
}

/**
 * Security headers on every page. Scripts run only with this response's nonce (Next.js puts it
 * on its own scripts); inline style attributes are allowed because React Flow positions nodes
 * with them. `wasm-unsafe-eval` lets onnxruntime-web and DuckDB-style WASM run, not `eval`.
 */
export function securityHeaders(nonce: string, options: { dev: boolean; camera?: boolean; isolated?: boolean }): Record<string, string> {
  const csp = [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${options.dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src 'self'`,
    `worker-src 'self' blob:`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ')
  // the model preview takes a webcam frame: only its page may ask for the camera
  const permissions = options.camera ? { 'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()' } : {}
  // with COOP (every page has it), COEP makes the page cross-origin isolated: SharedArrayBuffer, so wasm threads
  const embedder: Record<string, string> = options.isolated ? { 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}
  return { 'Content-Security-Policy': csp, ...commonHeaders, ...permissions, ...embedder }
}

/** The in-browser model preview: `/models/<name>/versions/<n>/preview`. */
export function isModelPreviewPath(pathname: string): boolean {
  return /^\/models\/[^/]+\/versions\/[0-9]+\/preview\/?$/.test(pathname)
}

/**
 * Answers that carry COEP: the preview page, and onnxruntime-web's files under /ort/, whose threads
 * start as workers from them (Chromium refuses a worker without COEP in an isolated page). Only
 * these: the rest of the app is not isolated, so nothing there has to vouch for what it loads.
 */
export function isCrossOriginIsolatedPath(pathname: string): boolean {
  return isModelPreviewPath(pathname) || pathname.startsWith('/ort/')
}
