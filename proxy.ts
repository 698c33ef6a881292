import { NextResponse, type NextRequest } from 'next/server'
import { apiSecurityHeaders, crossSiteWrite, isCrossOriginIsolatedPath, isModelPreviewPath, malformedPath, ownOriginsOf, securityHeaders, type GuardRefusal } from '@/server/http/request-guard'

/**
 * Runs before every route and page: refuses what no route should ever see (undecodable paths,
 * cross-site writes riding on the session cookie) and puts the security headers on every answer.
 */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl
  const isApi = pathname.startsWith('/api/')
  // JSON answers run no scripts: a fixed policy, and no nonce to hand to the renderer
  const nonce = isApi ? undefined : btoa(crypto.randomUUID())
  const headers = nonce
    ? securityHeaders(nonce, { dev: process.env.NODE_ENV === 'development', camera: isModelPreviewPath(pathname), isolated: isCrossOriginIsolatedPath(pathname) })
    : apiSecurityHeaders
  const refusal =
    malformedPath(request.nextUrl.pathname) ??
    crossSiteWrite({
      method: request.method,
      pathname: request.nextUrl.pathname,
      headers: request.headers,
      ownOrigins: ownOriginsOf(request.nextUrl, request.headers, process.env.PIPEWRIGHT_PUBLIC_URL || undefined),
    })
  if (refusal) return refuse(refusal, headers)
  if (!nonce) return withHeaders(NextResponse.next(), headers)

  // Next.js reads the nonce from the request's CSP header and puts it on the scripts it renders
  const forwarded = new Headers(request.headers)
  forwarded.set('x-nonce', nonce)
  forwarded.set('Content-Security-Policy', headers['Content-Security-Policy']!)
  return withHeaders(NextResponse.next({ request: { headers: forwarded } }), headers)
}

function refuse(refusal: GuardRefusal, headers: Record<string, string>): NextResponse {
  return withHeaders(NextResponse.json({ error: refusal.error }, { status: refusal.status }), headers)
}

function withHeaders(response: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value)
  return response
}

export const config = {
  // static files need no nonce; everything else, API included, passes the guard
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|icon.svg).*)' }],
}
