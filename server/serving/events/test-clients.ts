import { jetstreamManager } from '@nats-io/jetstream'
import { connect as connectNatsClient, headers } from '@nats-io/transport-node'
import amqp from 'amqplib'
import mqtt from 'mqtt'
import { type EventSourceConfig, consumerNameOf } from './config'
import { correlationHeader } from './nats'
import type { ReplyBody } from './shared'
import { sleep } from './shared'

/**
 * The other side of a deployment, for tests: publishes requests the way an integrator would,
 * collects the replies by correlation id, and asks the broker what it still holds. Test-only.
 */
export interface BrokerTestClient {
  publish(body: string, messageId: string): Promise<void>
  /** replies seen, by the correlation id the broker carried (not the body's) */
  readonly replies: Map<string, ReplyBody[]>
  /** requests the broker still holds for the deployment, once no consumer runs */
  pendingRequests(): Promise<number>
  /** closes the client and deletes what the test created on the broker */
  close(): Promise<void>
}

function recorder() {
  const replies = new Map<string, ReplyBody[]>()
  const record = (id: string | undefined, content: Buffer | Uint8Array) => {
    const body = JSON.parse(Buffer.from(content).toString('utf8')) as ReplyBody
    const key = id ?? '(none)'
    replies.set(key, [...(replies.get(key) ?? []), body])
  }
  return { replies, record }
}

export async function waitForReplies(client: BrokerTestClient, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (ids.every((id) => client.replies.has(id))) return
    await sleep(50)
  }
  const missing = ids.filter((id) => !client.replies.has(id))
  throw new Error(`${missing.length} of ${ids.length} requests got no reply within ${timeoutMs} ms: ${missing.slice(0, 5).join(', ')}`)
}

export async function amqpTestClient(config: EventSourceConfig): Promise<BrokerTestClient> {
  const connection = await amqp.connect(config.url)
  const channel = await connection.createConfirmChannel()
  await channel.assertQueue(config.input, { durable: true })
  await channel.assertQueue(config.reply, { durable: true })
  const { replies, record } = recorder()
  await channel.consume(config.reply, (message) => message && record(message.properties.correlationId as string | undefined, message.content), {
    noAck: true,
  })
  return {
    replies,
    async publish(body, messageId) {
      channel.sendToQueue(config.input, Buffer.from(body), { correlationId: messageId, persistent: true })
      await channel.waitForConfirms()
    },
    async pendingRequests() {
      return (await channel.checkQueue(config.input)).messageCount
    },
    async close() {
      await channel.deleteQueue(config.input)
      await channel.deleteQueue(config.reply)
      await connection.close()
    },
  }
}

export async function mqttTestClient(config: EventSourceConfig): Promise<BrokerTestClient> {
  const client = await mqtt.connectAsync(config.url, { protocolVersion: 5, clientId: `${consumerNameOf(config)}-test`, clean: true })
  const { replies, record } = recorder()
  client.on('message', (_topic, payload, packet) => record(packet.properties?.correlationData?.toString('utf8'), payload))
  await client.subscribeAsync(config.reply, { qos: 1 })
  return {
    replies,
    async publish(body, messageId) {
      await client.publishAsync(config.input, body, { qos: 1, properties: { correlationData: Buffer.from(messageId) } })
    },
    async pendingRequests() {
      // what the deployment's persistent session would hand the next consumer: take it over and count
      let count = 0
      const takeover = await mqtt.connectAsync(config.url, {
        protocolVersion: 5,
        clientId: consumerNameOf(config),
        clean: false,
        properties: { sessionExpiryInterval: 60 },
      })
      takeover.on('message', () => count++)
      await sleep(1500)
      await takeover.endAsync()
      return count
    },
    async close() {
      // a clean start with no expiry deletes the deployment's persistent session from the broker
      const cleaner = await mqtt.connectAsync(config.url, { protocolVersion: 5, clientId: consumerNameOf(config), clean: true })
      await cleaner.endAsync()
      await client.endAsync()
    },
  }
}

export async function natsTestClient(config: EventSourceConfig): Promise<BrokerTestClient> {
  const nc = await connectNatsClient({ servers: config.url })
  const jsm = await jetstreamManager(nc).catch(async (error: unknown) => {
    await nc.close()
    throw new Error(`NATS at ${config.url} answers but has no JetStream (${String(error)}): start nats-server with -js`)
  })
  const { replies, record } = recorder()
  // a plain subscription sees every message published to the subject, JetStream-stored or not
  const subscription = nc.subscribe(config.reply, { callback: (_error, message) => record(message.headers?.get(correlationHeader), message.data) })
  const js = jsm.jetstream()
  return {
    replies,
    async publish(body, messageId) {
      const requestHeaders = headers()
      requestHeaders.set(correlationHeader, messageId)
      await js.publish(config.input, body, { headers: requestHeaders })
    },
    async pendingRequests() {
      const info = await jsm.consumers.info(await jsm.streams.find(config.input), consumerNameOf(config))
      return info.num_pending + info.num_ack_pending
    },
    async close() {
      subscription.unsubscribe()
      for (const subject of [config.input, config.reply]) {
        const stream = await jsm.streams.find(subject).catch(() => undefined)
        if (stream) await jsm.streams.delete(stream)
      }
      await nc.close()
    },
  }
}
