import { describe, expect, it } from 'vitest'
import { readBodyText, readJson } from './body'
import { toErrorResponse } from './errors'

function streamed(chunks: Uint8Array[], headers: Record<string, string> = {}): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      controller.close()
    },
  })
  return new Request('http://localhost/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit)
}

function jsonRequest(body: string, type = 'application/json'): Request {
  return new Request('http://localhost/x', { method: 'POST', body, headers: { 'content-type': type } })
}

async function answer(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    return toErrorResponse(error)
  }
  throw new Error('expected a refusal')
}

describe('reading a JSON body at the door', () => {
  it('refuses a body over the limit while streaming, without Content-Length (413, limit named)', async () => {
    const chunk = new Uint8Array(4096).fill(32)
    const refused = await answer(readJson(streamed([chunk, chunk, chunk], { 'content-type': 'application/json' }), { maxBytes: 8192 }))
    expect(refused.status).toBe(413)
    expect(refused.body.error).toMatch(/8 KiB/)
  })

  it('refuses a declared Content-Length over the limit before reading', async () => {
    const request = new Request('http://localhost/x', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'content-length': '999999' } })
    expect((await answer(readJson(request, { maxBytes: 1024 }))).status).toBe(413)
  })

  it('wants Content-Type JSON (415), and says which type it got', async () => {
    const refused = await answer(readJson(jsonRequest('{"a":1}', 'text/plain')))
    expect(refused.status).toBe(415)
    expect(refused.body.error).toMatch(/text\/plain/)
    expect(await readJson(jsonRequest('{"a":1}', 'application/merge-patch+json'))).toEqual({ a: 1 })
  })

  it('answers broken JSON, too-deep JSON, bad strings and non-UTF-8 with 400 saying what is wrong', async () => {
    expect((await answer(readJson(jsonRequest('{"a":')))).body.error).toMatch(/not valid JSON/)
    expect((await answer(readJson(jsonRequest('['.repeat(100) + ']'.repeat(100))))).body.error).toMatch(/deeper than 64/)
    const nul = await answer(readJson(jsonRequest('{"title":"a\\u0000b"}')))
    expect(nul).toMatchObject({ status: 400, body: { issues: [{ path: 'title' }] } })
    expect(nul.body.error).toMatch(/^title: must not contain a NUL/)
    expect((await answer(readJson(jsonRequest('{"x":["\\ud800"]}')))).body.error).toMatch(/^x\[0\]: .*surrogate/)
    const latin1 = streamed([new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d])], { 'content-type': 'application/json' })
    expect((await answer(readJson(latin1))).body.error).toMatch(/not valid UTF-8/)
  })

  it('gives an empty body its default when the route has one', async () => {
    expect(await readJson(jsonRequest(''), { whenEmpty: {} })).toEqual({})
    expect((await answer(readJson(jsonRequest(' ')))).status).toBe(400)
  })

  it('reads text bodies under their limit', async () => {
    expect(await readBodyText(streamed([new TextEncoder().encode('title\nA')]), 100)).toBe('title\nA')
  })
})
