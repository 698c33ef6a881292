import { describe, expect, it } from 'vitest'
import { clientAddress } from './client-address'
import { publicUrl } from './public-url'

const headers = (xff?: string) => new Headers(xff === undefined ? {} : { 'x-forwarded-for': xff })

describe('the client address used for per-address limits', () => {
  it('without a trusted proxy, is the last X-Forwarded-For entry (what Next.js wrote from the socket when the client sent none)', () => {
    expect(clientAddress(headers('203.0.113.7'), 0)).toBe('203.0.113.7')
    expect(clientAddress(headers('1.1.1.1, 203.0.113.7'), 0)).toBe('203.0.113.7')
  })

  it('behind N trusted proxies, is the N-th entry from the right; what the client claimed left of it is ignored', () => {
    expect(clientAddress(headers('6.6.6.6, 203.0.113.7'), 1)).toBe('203.0.113.7')
    expect(clientAddress(headers('6.6.6.6, 203.0.113.7, 10.0.0.2'), 2)).toBe('203.0.113.7')
    expect(clientAddress(headers('203.0.113.7'), 2)).toBe('unknown')
  })

  it('shares one bucket for no header or anything that is not an IP address, and normalises ports and mapped IPv4', () => {
    expect(clientAddress(headers(), 0)).toBe('unknown')
    expect(clientAddress(headers('not-an-ip'), 0)).toBe('unknown')
    expect(clientAddress(headers('x'.repeat(5000)), 0)).toBe('unknown')
    expect(clientAddress(headers('203.0.113.7:51234'), 0)).toBe('203.0.113.7')
    expect(clientAddress(headers('::ffff:203.0.113.7'), 0)).toBe('203.0.113.7')
    expect(clientAddress(headers('[2001:DB8::1]:443'), 0)).toBe('2001:db8::1')
  })
})

describe('links the app hands out', () => {
  const request = (h: Record<string, string>) => new Request('http://localhost:3000/api/v1/use-cases/invites', { headers: h })
  it('use the configured public URL, a sub-path included', () => {
    expect(publicUrl(request({ host: 'x' }), '/rate/t', 'https://ml.example.org/pipewright')).toBe('https://ml.example.org/pipewright/rate/t')
  })
  it('else the forwarded host and protocol, else Host, else the request URL', () => {
    expect(publicUrl(request({ 'x-forwarded-host': 'ml.example.org', 'x-forwarded-proto': 'https' }), '/rate/t', undefined)).toBe('https://ml.example.org/rate/t')
    expect(publicUrl(request({ host: '10.1.2.3:3000' }), '/rate/t', undefined)).toBe('http://10.1.2.3:3000/rate/t')
    expect(publicUrl(request({ 'x-forwarded-host': 'a b', 'x-forwarded-proto': 'gopher' }), '/rate/t', undefined)).toBe('http://localhost:3000/rate/t')
  })
})

describe('the wait a lock asks for', () => {
  it('is said in seconds up to two minutes, then in minutes', async () => {
    const { TooManyAttemptsError } = await import('@/server/auth/throttle')
    expect(new TooManyAttemptsError(1).message).toBe('Too many sign-in attempts; try again in 1 second.')
    expect(new TooManyAttemptsError(60).message).toBe('Too many sign-in attempts; try again in 60 seconds.')
    expect(new TooManyAttemptsError(3600, 'rating-link attempts').message).toBe('Too many rating-link attempts; try again in 60 minutes.')
  })
})
