import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { BadRequestError } from '@/server/http/errors'
import { encodeReply, maxBodyBytes, processMessage } from './shared'

const bytes = (text: string) => Buffer.from(text)

describe('one message through a handler', () => {
  it('hands the parsed body and the id to the handler and replies with its result', async () => {
    const outcome = await processMessage(bytes('{"x":1}'), 'm-1', async (body, meta) => ({ body, meta }))
    expect(outcome).toEqual({ kind: 'reply', body: { messageId: 'm-1', result: { body: { x: 1 }, meta: { messageId: 'm-1' } } } })
  })

  it('answers the sender\'s mistakes with an error, so they are acknowledged', async () => {
    const never = async () => 'unreachable'
    expect(await processMessage(bytes('{'), 'a', never)).toMatchObject({ kind: 'reply', body: { error: expect.stringMatching(/not valid JSON/) } })
    expect(await processMessage(Buffer.from([0xff, 0xfe]), 'b', never)).toMatchObject({ body: { error: expect.stringMatching(/not valid UTF-8/) } })
    const huge = Buffer.alloc(maxBodyBytes + 1, 0x20)
    expect(await processMessage(huge, 'c', never)).toMatchObject({ body: { error: expect.stringMatching(/the limit is/) } })
    // a NUL the prediction log's database would refuse, with the path to it
    expect(await processMessage(bytes('{"records":[{"name":"a\\u0000b"}]}'), 'n', never)).toMatchObject({ body: { error: expect.stringMatching(/^records\[0\]\.name: must not contain a NUL/) } })
    const refused = async () => {
      throw new BadRequestError('sepal: must be a number')
    }
    expect(await processMessage(bytes('{}'), 'd', refused)).toEqual({ kind: 'reply', body: { messageId: 'd', error: 'sepal: must be a number' } })
    const zodRefused = async (body: unknown) => z.object({ sepal: z.number() }).parse(body)
    expect(await processMessage(bytes('{"sepal":"x"}'), 'e', zodRefused)).toMatchObject({ body: { error: expect.stringMatching(/^sepal: /) } })
  })

  it('leaves a failure on our side for delivery again', async () => {
    const down = async () => {
      throw new Error('ECONNREFUSED model server')
    }
    expect(await processMessage(bytes('{}'), 'f', down)).toMatchObject({ kind: 'retry' })
  })

  it('writes every reply as JSON, or says why it could not', () => {
    expect(JSON.parse(encodeReply({ messageId: 'a', result: undefined }).toString())).toEqual({ messageId: 'a', result: null })
    expect(JSON.parse(encodeReply({ messageId: 'b', result: 1n }).toString()).error).toMatch(/could not be written as JSON/)
    expect(JSON.parse(encodeReply({ messageId: 'c', result: 'x'.repeat(100) }, 50).toString())).toEqual({
      messageId: 'c',
      error: expect.stringMatching(/more than the 50 bytes/),
    })
  })
})
