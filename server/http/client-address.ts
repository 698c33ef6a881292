import { z } from 'zod'
import { env } from '@/server/env'

const ip = z.union([z.ipv4(), z.ipv6()])

/**
 * The address a request came from, for per-client limits.
 *
 * Next.js gives route handlers no socket. Its server writes the socket's address into
 * X-Forwarded-For, but only when the request has no such header (`??=`): a client talking to
 * the app directly can put anything there. So:
 * - `PIPEWRIGHT_TRUST_PROXY=N` (N proxies in front, each appending what it saw): the N-th entry
 *   from the right, the one the outermost trusted proxy wrote. Entries left of it are the
 *   client's own claims and are never used.
 * - `0` (the default, no proxy): the last entry, which is the socket's address unless the
 *   client sent the header itself. A client that lies there only escapes the per-address
 *   limit; the per-account limit, which guards each password, does not depend on addresses.
 * Not an IP address (or no header at all, as in tests calling handlers directly): one shared
 * bucket, `unknown`, so made-up values cannot mint fresh counters.
 */
export function clientAddress(headers: Headers, trustedProxies = env().PIPEWRIGHT_TRUST_PROXY): string {
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean)
  const chosen = hops[hops.length - Math.max(trustedProxies, 1)]
  return normalise(chosen) ?? 'unknown'
}

function normalise(candidate: string | undefined): string | null {
  if (!candidate) return null
  // "[::1]:1234" and "10.0.0.1:1234" as some proxies write them; IPv4 mapped into IPv6 as itself
  const bare = candidate.replace(/^\[([^\]]+)\](?::\d+)?$/, '$1').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1')
  return ip.safeParse(bare).success ? bare.toLowerCase() : null
}
