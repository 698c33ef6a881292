import { env } from '@/server/env'

const hostShape = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i

/**
 * Where people reach the app: `PIPEWRIGHT_PUBLIC_URL` when set, else the origin the request
 * was sent to (X-Forwarded-Host and X-Forwarded-Proto from a proxy, else Host). The forwarded
 * headers are believed here even without PIPEWRIGHT_TRUST_PROXY: the link goes back only to
 * the caller who sent them, who could edit the link anyway; for anything that must not be
 * spoofable (per-client limits) see client-address.ts.
 */
export function publicBaseUrl(request: Request, configured = env().PIPEWRIGHT_PUBLIC_URL): URL {
  if (configured) return new URL(configured.endsWith('/') ? configured : `${configured}/`)
  const own = new URL(request.url)
  const claimedHosts = [firstOf(request.headers.get('x-forwarded-host')), request.headers.get('host')?.trim()]
  const claimedProto = firstOf(request.headers.get('x-forwarded-proto'))?.toLowerCase()
  // a malformed header is skipped, never pasted into a link
  const host = claimedHosts.find((candidate) => candidate && hostShape.test(candidate)) ?? own.host
  const proto = claimedProto === 'http' || claimedProto === 'https' ? claimedProto : own.protocol.slice(0, -1)
  return new URL(`${proto}://${host}/`)
}

/** An absolute link to `path` (e.g. `/rate/…`), under the public base URL and any path it has. */
export function publicUrl(request: Request, path: string, configured?: string): string {
  return new URL(path.replace(/^\/+/, ''), publicBaseUrl(request, configured)).toString()
}

/** Cookies get `Secure` when people reach the app over https, even through a TLS-terminating proxy. */
export function isHttps(request: Request): boolean {
  return publicBaseUrl(request).protocol === 'https:'
}

function firstOf(header: string | null): string | undefined {
  return header?.split(',')[0]?.trim() || undefined
}
