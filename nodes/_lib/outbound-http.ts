// Server-only: an HTTP(S) GET that only reaches addresses the outbound policy allows.
//
// The check sits where the socket gets its address: an IP literal is checked before connecting,
// a host name through our own `lookup`, which checks every address the name resolves to and
// hands the socket only checked ones. So a name that resolves to a public address for a check
// and to 127.0.0.1 for the connection (DNS rebinding) has nothing to slip through. Redirects are
// followed by hand, each target checked the same way (scheme included).
import dns, { type LookupAddress } from 'node:dns'
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import type { Readable } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import type { AddressPolicy, Refusal } from './outbound-policy'

export const maxRedirects = 5

/** No byte for this long (connecting, waiting for headers, or mid-body): the connection failed. */
const idleTimeoutMs = 120_000

/**
 * Why an outbound request did not get a response. Deliberately coarse: a closed port, a reset,
 * a timeout and a service that does not speak HTTP are all `connection-failed`, so error
 * messages cannot be used to map which ports answer.
 */
export type OutboundFailure =
  | { type: 'scheme'; url: string; protocol: string }
  | { type: 'downgrade'; url: string }
  | { type: 'refused'; host: string; refusal: Refusal }
  | { type: 'unresolvable'; host: string }
  | { type: 'connection-failed' }
  | { type: 'certificate'; code: string }
  | { type: 'too-many-redirects'; max: number }
  | { type: 'bad-redirect'; location: string }

export class OutboundError extends Error {
  override name = 'OutboundError'
  /** the redirect target that led to the failure, when it was not the first address */
  redirectedTo: string | undefined
  constructor(
    readonly failure: OutboundFailure,
    options: { cause?: unknown } = {},
  ) {
    super(failure.type, options)
  }
}

export interface OutboundResponse {
  /** the address that answered, after redirects */
  url: URL
  status: number
  statusText: string
  headers: IncomingHttpHeaders
  /** the body, decoded from its Content-Encoding */
  body: Readable
  /** true when the body was sent compressed (Content-Length then counts compressed bytes) */
  encoded: boolean
  /** ends the response without reading it */
  discard(): void
}

export interface OutboundOptions {
  policy: AddressPolicy
  signal: AbortSignal
}

export async function outboundGet(url: URL, options: OutboundOptions): Promise<OutboundResponse> {
  let current = url
  for (let redirects = 0; ; redirects++) {
    const response = await noteRedirect(redirects > 0 ? current.href : undefined, () => requestChecked(current, options))
    const location = redirectLocation(response)
    if (location === undefined) return toOutboundResponse(current, response)
    response.destroy()
    if (redirects === maxRedirects) throw new OutboundError({ type: 'too-many-redirects', max: maxRedirects })
    current = nextHop(current, location)
  }
}

async function noteRedirect<T>(redirectedTo: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof OutboundError) error.redirectedTo ??= redirectedTo
    throw error
  }
}

function checkScheme(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError({ type: 'scheme', url: url.href, protocol: url.protocol })
  }
}

/** The redirect's target, checked for its scheme: an https source must not fall back to plain http. */
function nextHop(from: URL, location: string): URL {
  let next: URL
  try {
    next = new URL(location, from)
  } catch {
    throw new OutboundError({ type: 'bad-redirect', location })
  }
  const fail = (error: OutboundError) => Object.assign(error, { redirectedTo: next.href })
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw fail(new OutboundError({ type: 'scheme', url: next.href, protocol: next.protocol }))
  }
  if (from.protocol === 'https:' && next.protocol === 'http:') throw fail(new OutboundError({ type: 'downgrade', url: next.href }))
  return next
}

function redirectLocation(response: IncomingMessage): string | undefined {
  const status = response.statusCode ?? 0
  if (![301, 302, 303, 307, 308].includes(status)) return undefined
  return response.headers.location || undefined
}

/**
 * A POST of JSON to a checked address (a webhook): no redirect is followed, a 3xx answer is the
 * receiver's answer. Gives the status and at most 4 KB of the answer's text.
 */
export async function outboundPostJson(url: URL, value: unknown, options: OutboundOptions): Promise<{ status: number; text: string }> {
  const response = await requestChecked(url, options, { method: 'POST', body: JSON.stringify(value) })
  let text = ''
  for await (const chunk of response) {
    if (text.length < 4096) text += String(chunk)
  }
  return { status: response.statusCode ?? 0, text: text.slice(0, 4096) }
}

/** One request (a GET unless told) on a fresh connection to a checked address. */
function requestChecked(url: URL, options: OutboundOptions, send: { method: 'GET' | 'POST'; body?: string } = { method: 'GET' }): Promise<IncomingMessage> {
  checkScheme(url)
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  // node connects to an IP literal without calling `lookup`, so it is checked here
  if (isIP(host) !== 0) {
    const refusal = options.policy.check(host)
    if (refusal) return Promise.reject(new OutboundError({ type: 'refused', host, refusal }))
  }
  const client = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const request = client.request({
      method: send.method,
      hostname: host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers: send.body === undefined
        ? { accept: '*/*', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'Pipewright' }
        : { accept: '*/*', 'user-agent': 'Pipewright', 'content-type': 'application/json', 'content-length': Buffer.byteLength(send.body) },
      // a fresh connection per request: a pooled socket must not skip the address check
      agent: false,
      lookup: checkedLookup(options.policy),
      signal: options.signal,
      timeout: idleTimeoutMs,
    })
    request.on('timeout', () => request.destroy(new Error('idle timeout')))
    request.on('response', resolve)
    request.on('error', (error) => reject(classify(error, host)))
    request.end(send.body)
  })
}

/** dns.lookup, then every address it found is checked; the socket gets only checked addresses. */
function checkedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0)
      // one refused address refuses the name: which one a connection picks is not ours to choose
      for (const { address } of addresses) {
        const refusal = policy.check(address)
        if (refusal) return callback(new OutboundError({ type: 'refused', host: hostname, refusal }), '', 0)
      }
      const [first] = addresses
      if (!first) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0)
      if (options.all) callback(null, addresses)
      else callback(null, first.address, first.family)
    })
  }
}

const unresolvableCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'])

// Only reached after a TLS handshake with an allowed address, so naming them reveals nothing
// about ports the policy refuses; and "connection failed" would leave a user with an expired
// or self-signed certificate guessing.
const certificateCodes = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

function classify(error: unknown, host: string): unknown {
  if (error instanceof OutboundError) return error
  if (error instanceof Error && error.name === 'AbortError') return error
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code === 'string' && unresolvableCodes.has(code)) return new OutboundError({ type: 'unresolvable', host }, { cause: error })
  if (typeof code === 'string' && certificateCodes.has(code)) return new OutboundError({ type: 'certificate', code }, { cause: error })
  return new OutboundError({ type: 'connection-failed' }, { cause: error })
}

function toOutboundResponse(url: URL, response: IncomingMessage): OutboundResponse {
  const encoding = String(response.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined
  if (decoder) response.once('error', (error) => decoder.destroy(error))
  return {
    url,
    status: response.statusCode ?? 0,
    statusText: response.statusMessage ?? '',
    headers: response.headers,
    body: decoder ? response.pipe(decoder) : response,
    encoded: encoding !== 'identity',
    discard: () => response.destroy(),
  }
}
