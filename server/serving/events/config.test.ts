import { describe, expect, it } from 'vitest'
import { consumerNameOf, credentialsOf, eventSourceSchema, redactUrl, urlWithoutCredentials } from './config'

function problemsOf(input: unknown): string[] {
  const parsed = eventSourceSchema.safeParse(input)
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
}

const base = { kind: 'amqp', url: 'amqp://guest:guest@127.0.0.1:5672', input: 'iris.requests', reply: 'iris.answers' }

describe('event source config', () => {
  it('takes a plain config and fills in prefetch', () => {
    expect(eventSourceSchema.parse(base)).toEqual({ ...base, prefetch: 16 })
  })

  it('wants the URL scheme of the broker kind it names', () => {
    expect(problemsOf({ ...base, url: 'mqtt://127.0.0.1:1883' })).toEqual(['url: must start with amqp:// or amqps:// for amqp'])
    expect(problemsOf({ ...base, kind: 'nats', url: 'nats://127.0.0.1:4222' })).toEqual([])
    expect(problemsOf({ ...base, kind: 'mqtt', url: 'http://127.0.0.1' })).toEqual(['url: must start with mqtt:// or mqtts:// for mqtt'])
    expect(problemsOf({ ...base, url: 'not a url' })).toEqual(['url: is not a URL; expected e.g. amqp://host:port'])
  })

  it('refuses names that are empty, too long, wildcards or reserved', () => {
    expect(problemsOf({ ...base, input: '' })).toEqual(['input: must not be empty'])
    expect(problemsOf({ ...base, input: 'x'.repeat(256) })).toEqual(['input: must be at most 255 characters'])
    expect(problemsOf({ ...base, kind: 'mqtt', url: 'mqtt://h', input: 'sensors/#' })[0]).toMatch(/^input: must not contain a wildcard/)
    expect(problemsOf({ ...base, reply: 'answers with space' })).toEqual(['reply: must not contain white space or control characters'])
    expect(problemsOf({ ...base, reply: '$SYS/x' })).toEqual(['reply: must not start with $ (reserved for the broker)'])
    expect(problemsOf({ ...base, reply: 'a\u0000b' })).toEqual(['reply: must not contain a NUL character (\\u0000)'])
    expect(problemsOf({ ...base, reply: base.input })[0]).toMatch(/^reply: must differ from input/)
  })

  it('bounds prefetch', () => {
    expect(problemsOf({ ...base, prefetch: 0 })).toHaveLength(1)
    expect(problemsOf({ ...base, prefetch: 1.5 })).toHaveLength(1)
  })

  it('takes credentials from the URL only, decoded, and never logs the password', () => {
    const url = 'amqp://svc%40pw:p%3Ass@broker:5672/vhost'
    expect(credentialsOf(url)).toEqual({ user: 'svc@pw', pass: 'p:ss' })
    expect(redactUrl(url)).toBe('amqp://svc%40pw:***@broker:5672/vhost')
    expect(urlWithoutCredentials(url)).toBe('amqp://broker:5672/vhost')
    expect(credentialsOf('nats://127.0.0.1:4222')).toBeUndefined()
    expect(problemsOf({ ...base, password: 'x' })).toEqual([': unknown key(s) password; credentials belong in the URL (scheme://user:password@host)'])
  })

  it('derives a stable consumer name that two similar inputs do not share', () => {
    const a = consumerNameOf(eventSourceSchema.parse({ ...base, input: 'a.b' }))
    const b = consumerNameOf(eventSourceSchema.parse({ ...base, input: 'a_b' }))
    expect(a).toMatch(/^pipewright_a_b_[0-9a-f]{10}$/)
    expect(a).not.toBe(b)
    expect(consumerNameOf(eventSourceSchema.parse({ ...base, consumerName: 'iris-prod' }))).toBe('iris-prod')
  })
})
