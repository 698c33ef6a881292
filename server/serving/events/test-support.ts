import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import net from 'node:net'
import path from 'node:path'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { BadRequestError } from '@/server/http/errors'
import { type EventSourceConfig, type EventSourceInput, eventSourceSchema } from './config'
import { type EventConsumer, type EventHandler, startConsumer } from './index'
import { sleep } from './shared'
import { type BrokerTestClient, waitForReplies } from './test-clients'

/** One broker the shared suite runs against. Test-only. */
export interface BrokerUnderTest {
  kind: EventSourceConfig['kind']
  label: string
  host: string
  port: number
  /** the shell command that starts this broker on the CI machine, for the failure message */
  howToStart: string
  /** a queue/topic/subject name made of parts (joined the way this broker likes) */
  name(parts: string[]): string
  client(config: EventSourceConfig): Promise<BrokerTestClient>
}

const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' })
const runId = randomUUID().slice(0, 8)

const echo: EventHandler = async (body) => {
  if (typeof body === 'object' && body !== null && 'bad' in body) throw new BadRequestError('bad: the model does not take this field')
  return { echo: body }
}

async function requireBroker(broker: BrokerUnderTest): Promise<void> {
  const problem = await new Promise<string | undefined>((resolve) => {
    const socket = net.connect({ host: broker.host, port: broker.port })
    socket.setTimeout(3000, () => socket.destroy(new Error('timed out')))
    socket.once('connect', () => {
      socket.end()
      resolve(undefined)
    })
    socket.once('error', (error) => resolve(error.message))
  })
  if (problem) {
    throw new Error(`${broker.label} is not reachable at ${broker.host}:${broker.port} (${problem}). Start it with: ${broker.howToStart}`)
  }
}

/** A TCP relay in front of the broker, so a test can cut every connection abruptly. */
async function startRelay(broker: BrokerUnderTest, port = 0): Promise<{ port: number; cutAll(): void; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((inbound) => {
    const outbound = net.connect({ host: broker.host, port: broker.port })
    for (const socket of [inbound, outbound]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => undefined)
    }
    inbound.pipe(outbound).pipe(inbound)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const cutAll = () => sockets.forEach((socket) => socket.destroy())
  return { port: (server.address() as net.AddressInfo).port, cutAll, close: () => new Promise((resolve) => (cutAll(), server.close(() => resolve()))) }
}

/** A consumer in its own process (see test-consumer-process.ts), to be killed with SIGKILL. */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function startSlowConsumerProcess(config: EventSourceInput): Promise<{ child: ChildProcess; taken: Promise<void> }> {
  const script = path.join(import.meta.dirname, 'test-consumer-process.ts')
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config), '60000'], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const seen = (text: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the consumer process did not print "${text}" in ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs)
      const check = () => {
        if (!output.includes(text)) return
        clearTimeout(timer)
        resolve()
      }
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        check()
      })
      child.once('exit', (code) => reject(new Error(`the consumer process exited (${code}); stderr: ${stderr}`)))
      check()
    })
  await seen('ready', 30_000)
  const taken = seen('taken', 30_000)
  taken.catch(() => undefined)
  return { child, taken }
}

export function describeBroker(broker: BrokerUnderTest): void {
  describe(`event-driven serving over ${broker.label}`, () => {
    const cleanups: (() => Promise<unknown>)[] = []
    // probed inside every test, not in beforeAll: a broker that is down fails each test with the
    // message, where a failing beforeAll would report the tests as skipped
    let reachable: Promise<void> | undefined

    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined)
    })

    function configFor(test: string, url = `${broker.kind}://${broker.host}:${broker.port}`): EventSourceConfig {
      const input = broker.name(['pw-test', runId, test, 'in'])
      const reply = broker.name(['pw-test', runId, test, 'out'])
      return eventSourceSchema.parse({ kind: broker.kind, url, input, reply, consumerName: `pw-test-${runId}-${test}` })
    }

    async function clientFor(config: EventSourceConfig): Promise<BrokerTestClient> {
      await (reachable ??= requireBroker(broker))
      const client = await broker.client(config)
      cleanups.push(() => client.close())
      return client
    }

    async function consume(config: EventSourceInput, handle: EventHandler = echo): Promise<EventConsumer> {
      const consumer = await startConsumer(config, handle, log)
      cleanups.push(() => consumer.stop())
      return consumer
    }

    it('answers a request on the reply destination, carrying its correlation id', async () => {
      const config = configFor('one')
      const client = await clientFor(config)
      await consume(config)
      await client.publish(JSON.stringify({ sepal: 5.1 }), 'request-1')
      await waitForReplies(client, ['request-1'], 10_000)
      expect(client.replies.get('request-1')).toEqual([{ messageId: 'request-1', result: { echo: { sepal: 5.1 } } }])
    })

    it('answers 100 requests with 100 replies, each to its own request', async () => {
      const config = configFor('hundred')
      const client = await clientFor(config)
      await consume(config)
      const ids = Array.from({ length: 100 }, (_, n) => `request-${n}`)
      for (const [n, id] of ids.entries()) await client.publish(JSON.stringify({ n }), id)
      await waitForReplies(client, ids, 30_000)
      for (const [n, id] of ids.entries()) expect(client.replies.get(id)?.[0]).toEqual({ messageId: id, result: { echo: { n } } })
    })

    it('answers a body that is not JSON, or that the model refuses, with an error, and does not deliver it again', async () => {
      const config = configFor('poison')
      const client = await clientFor(config)
      const consumer = await consume(config)
      await client.publish('{"sepal": 5.1', 'not-json')
      await client.publish(JSON.stringify({ bad: true }), 'refused')
      await waitForReplies(client, ['not-json', 'refused'], 10_000)
      expect(client.replies.get('not-json')).toEqual([{ messageId: 'not-json', error: expect.stringMatching(/^The message body is not valid JSON/) }])
      expect(client.replies.get('refused')).toEqual([{ messageId: 'refused', error: 'bad: the model does not take this field' }])
      await consumer.stop()
      expect(await client.pendingRequests()).toBe(0)
    })

    it('delivers again a request whose handling failed on our side, and answers it then', async () => {
      const config = configFor('retry')
      const client = await clientFor(config)
      let calls = 0
      await consume(config, async (body) => {
        if (++calls === 1) throw new Error('the model is not loaded yet')
        return { echo: body }
      })
      await client.publish(JSON.stringify({ sepal: 1 }), 'flaky')
      await waitForReplies(client, ['flaky'], 15_000)
      expect(client.replies.get('flaky')).toEqual([{ messageId: 'flaky', result: { echo: { sepal: 1 } } }])
      expect(calls).toBe(2)
    })

    it('loses no request when a consumer is killed before it answered', async () => {
      const config = configFor('killed')
      const client = await clientFor(config)
      const { child, taken } = await startSlowConsumerProcess(config)
      cleanups.push(async () => child.kill('SIGKILL'))
      const ids = Array.from({ length: 10 }, (_, n) => `request-${n}`)
      for (const [n, id] of ids.entries()) await client.publish(JSON.stringify({ n }), id)
      await taken
      // time enough for an early acknowledgement, were there one, to reach the broker before the kill
      await sleep(1000)
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
      expect(client.replies.size).toBe(0)
      await consume(config)
      await waitForReplies(client, ids, 45_000)
      for (const [n, id] of ids.entries()) expect(client.replies.get(id)?.[0]).toEqual({ messageId: id, result: { echo: { n } } })
    })

    it('reconnects when the connection to the broker is cut, and keeps answering', async () => {
      const relay = await startRelay(broker)
      cleanups.push(() => relay.close())
      const config = configFor('cut', `${broker.kind}://${broker.host}:${relay.port}`)
      const client = await clientFor(configFor('cut'))
      await consume(config)
      await client.publish(JSON.stringify({ n: 1 }), 'before')
      await waitForReplies(client, ['before'], 10_000)
      relay.cutAll()
      await sleep(200)
      await client.publish(JSON.stringify({ n: 2 }), 'after')
      await waitForReplies(client, ['after'], 20_000)
      expect(client.replies.get('after')?.[0]).toEqual({ messageId: 'after', result: { echo: { n: 2 } } })
    })

    it('keeps trying while the broker is down at start, and consumes once it is up', async () => {
      const port = await freePort()
      const config = configFor('late', `${broker.kind}://${broker.host}:${port}`)
      const client = await clientFor(configFor('late'))
      const starting = startConsumer(config, echo, log)
      await sleep(1500)
      const relay = await startRelay(broker, port)
      cleanups.push(() => relay.close())
      const consumer = await starting
      cleanups.push(() => consumer.stop())
      await client.publish(JSON.stringify({ n: 1 }), 'late')
      await waitForReplies(client, ['late'], 15_000)
    })
  })
}
