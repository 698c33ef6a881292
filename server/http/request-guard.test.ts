import { describe, expect, it } from 'vitest'
import { crossSiteWrite, isCrossOriginIsolatedPath, isModelPreviewPath, malformedPath, ownOriginsOf, securityHeaders } from './request-guard'

const own = ['http://app.example:3000']

function write(method: string, pathname: string, headers: Record<string, string>) {
  return crossSiteWrite({ method, pathname, headers: new Headers(headers), ownOrigins: own })
}

describe('paths whose escapes do not decode', () => {
  it.each(['/api/v1/runs/%zz', '/api/v1/runs/%ff%fe', '/api/v1/runs/%c0%af', '/api/v1/runs/%', '/api/v1/runs/%u0041', '/pipelines/%E0%A4%A'])(
    'refuses %s with 400 naming the segment',
    (pathname) => {
      const refusal = malformedPath(pathname)
      expect(refusal?.status).toBe(400)
      expect(refusal?.error).toMatch(/malformed percent-escape/)
    },
  )

  it.each(['/api/v1/runs/..%2f..', '/use-cases/%20a', '/pipelines/caf%C3%A9', '/'])('lets %s through to the route (it decodes)', (pathname) => {
    expect(malformedPath(pathname)).toBeUndefined()
  })
})

describe('cross-site writes riding on the session cookie', () => {
  const cookie = { cookie: 'pw_session=pw_ses_abc' }

  it('refuses a text/plain form post from another site', () => {
    const refusal = write('POST', '/api/v1/users', { ...cookie, origin: 'http://evil.example:3000', 'content-type': 'text/plain' })
    expect(refusal?.status).toBe(403)
    expect(refusal?.error).toMatch(/another site/)
  })

  it('refuses a form post from the app itself too: writes are JSON', () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect(write('POST', '/api/v1/users', { ...cookie, origin: own[0]!, 'content-type': type, 'content-length': '10' })?.status).toBe(415)
    }
  })

  it('accepts JSON from the app itself, and body-less posts such as sign-out', () => {
    expect(write('POST', '/api/v1/users', { ...cookie, origin: own[0]!, 'content-type': 'application/json' })).toBeUndefined()
    expect(write('POST', '/api/auth/sign-out', { ...cookie, origin: own[0]! })).toBeUndefined()
    expect(write('DELETE', '/api/v1/users/x', { ...cookie, 'sec-fetch-site': 'same-origin' })).toBeUndefined()
  })

  it('refuses a write with a cookie and neither Origin nor Sec-Fetch-Site', () => {
    expect(write('POST', '/api/v1/pipelines', { ...cookie, 'content-type': 'application/json' })?.status).toBe(403)
  })

  it('refuses Sec-Fetch-Site cross-site or same-site and an opaque origin', () => {
    expect(write('POST', '/api/v1/pipelines', { ...cookie, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' })?.status).toBe(403)
    expect(write('POST', '/api/v1/pipelines', { ...cookie, 'sec-fetch-site': 'same-site', 'content-type': 'application/json' })?.status).toBe(403)
    expect(write('POST', '/api/v1/pipelines', { ...cookie, origin: 'null', 'content-type': 'application/json' })?.status).toBe(403)
  })

  it('checks sign-in without any cookie (login CSRF), but lets curl sign in', () => {
    expect(write('POST', '/api/auth/sign-in', { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' })?.status).toBe(403)
    expect(write('POST', '/api/auth/sign-in', { origin: own[0]!, 'content-type': 'text/plain', 'content-length': '30' })?.status).toBe(415)
    expect(write('POST', '/api/auth/sign-in', { 'content-type': 'application/json' })).toBeUndefined()
  })

  it('leaves Bearer-token requests and reads alone', () => {
    expect(write('POST', '/api/v1/users', { ...cookie, authorization: 'Bearer pw_tok_x', origin: 'http://evil.example', 'content-type': 'text/plain' })).toBeUndefined()
    expect(write('GET', '/api/v1/users', { ...cookie, origin: 'http://evil.example' })).toBeUndefined()
  })

  it('lets writes without a cookie through (nothing to forge), except to sign-in', () => {
    expect(write('POST', '/api/v1/rate/pw_rate_x', { origin: 'http://evil.example', 'content-type': 'application/json' })).toBeUndefined()
  })
})

describe('the origins the app answers as', () => {
  it('knows the configured public URL, the Host and a proxy-forwarded host', () => {
    const origins = ownOriginsOf(new URL('http://127.0.0.1:3000/x'), new Headers({ host: 'localhost:3000', 'x-forwarded-host': 'pw.example', 'x-forwarded-proto': 'https' }), 'https://pipewright.example.org/')
    expect(origins).toEqual(expect.arrayContaining(['https://pipewright.example.org', 'https://pw.example', 'http://127.0.0.1:3000']))
  })
})

describe('the camera', () => {
  it('may be asked for by the model preview page only', () => {
    expect(isModelPreviewPath('/models/penguins/versions/3/preview')).toBe(true)
    expect(isModelPreviewPath('/models/penguins/versions/3')).toBe(false)
    expect(isModelPreviewPath('/models/penguins/versions/3/preview/x')).toBe(false)
    expect(securityHeaders('n', { dev: false })['Permissions-Policy']).toBe('camera=(), microphone=(), geolocation=()')
    expect(securityHeaders('n', { dev: false, camera: true })['Permissions-Policy']).toBe('camera=(self), microphone=(), geolocation=()')
  })
})

describe('cross-origin isolation', () => {
  it('is for the preview page and the onnxruntime-web files its threads start from, nothing else', () => {
    expect(isCrossOriginIsolatedPath('/models/penguins/versions/3/preview')).toBe(true)
    expect(isCrossOriginIsolatedPath('/ort/ort-wasm-simd-threaded.mjs')).toBe(true)
    for (const other of ['/', '/deployments', '/models/penguins/versions/3', '/api/v1/models', '/ortx']) expect(isCrossOriginIsolatedPath(other), other).toBe(false)
    expect(securityHeaders('n', { dev: false })['Cross-Origin-Embedder-Policy']).toBeUndefined()
    expect(securityHeaders('n', { dev: false, isolated: true })['Cross-Origin-Embedder-Policy']).toBe('require-corp')
    // COEP isolates only beside COOP, which every page has
    expect(securityHeaders('n', { dev: false })['Cross-Origin-Opener-Policy']).toBe('same-origin')
  })
})
