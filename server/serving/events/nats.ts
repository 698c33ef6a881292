import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg, RetentionPolicy, StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream'
import { type NatsConnection, connect, headers, nanos } from '@nats-io/transport-node'
import { type EventSourceConfig, consumerNameOf, credentialsOf, derivedName, urlWithoutCredentials } from './config'
import { type EventHandler, type EventLog, InFlight, type Session, encodeReply, processMessage, retryDelayMs, safeMessageId } from './shared'

/**
 * NATS JetStream: requests are read from a stream through a durable pull consumer with explicit
 * acks; each reply is published through JetStream, and its PubAck (the reply is stored) comes before
 * the request's ack. A consumer that dies leaves its requests unacknowledged, and JetStream delivers
 * them again once `ackWaitMs` has passed; a slow handler signals progress so it is not cut off.
 */

/** Header carrying the request id; `Nats-Msg-Id` (JetStream's de-duplication id) is read too. */
export const correlationHeader = 'Correlation-Id'
const ackWaitMs = 10_000
const progressEveryMs = 3_000
const day = 24 * 3600 * 1000

export async function connectNats(config: EventSourceConfig, handle: EventHandler, log: EventLog): Promise<Session> {
  const credentials = credentialsOf(config.url)
  const nc = await connect({
    servers: urlWithoutCredentials(config.url),
    // reconnecting is the supervisor's job: a new connection re-declares stream and consumer too
    reconnect: false,
    timeout: 10_000,
    name: consumerNameOf(config),
    ...(credentials ? { user: credentials.user, pass: credentials.pass } : {}),
  })
  try {
    const jsm = await jetstreamManager(nc)
    const stream = await ensureStream(jsm, config.input, { retention: RetentionPolicy.Workqueue, maxAgeMs: 7 * day })
    await ensureStream(jsm, config.reply, { retention: RetentionPolicy.Limits, maxAgeMs: day })
    const durable = await ensureConsumer(jsm, stream, config)
    const session = new NatsSession(nc, jetstream(nc), config, handle, log)
    await session.start(stream, durable)
    return { closed: nc.closed().then((reason) => reason ?? undefined), stop: () => session.stop() }
  } catch (error) {
    await nc.close().catch(() => undefined)
    throw error
  }
}

/** The stream that already captures the subject (an operator's), or a new one just for it. */
async function ensureStream(
  jsm: JetStreamManager,
  subject: string,
  options: { retention: RetentionPolicy; maxAgeMs: number },
): Promise<string> {
  try {
    return await jsm.streams.find(subject)
  } catch {
    const name = derivedName('PW_', subject)
    await jsm.streams.add({
      name,
      subjects: [subject],
      retention: options.retention,
      storage: StorageType.File,
      max_age: nanos(options.maxAgeMs),
    })
    return name
  }
}

async function ensureConsumer(jsm: JetStreamManager, stream: string, config: EventSourceConfig): Promise<string> {
  const durable = consumerNameOf(config)
  const settings = { max_ack_pending: config.prefetch, ack_wait: nanos(ackWaitMs) }
  try {
    await jsm.consumers.info(stream, durable)
    await jsm.consumers.update(stream, durable, settings)
  } catch {
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: config.input,
      ...settings,
    })
  }
  return durable
}

type ConsumerMessages = Awaited<ReturnType<Awaited<ReturnType<JetStreamClient['consumers']['get']>>['consume']>>

class NatsSession {
  private readonly inFlight = new InFlight()
  private stopping = false
  private messages: ConsumerMessages | undefined
  private reading: Promise<void> | undefined

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly config: EventSourceConfig,
    private readonly handle: EventHandler,
    private readonly log: EventLog,
  ) {}

  async start(stream: string, durable: string): Promise<void> {
    const consumer = await this.js.consumers.get(stream, durable)
    const messages = await consumer.consume({ max_messages: this.config.prefetch })
    this.messages = messages
    this.reading = (async () => {
      for await (const message of messages) {
        if (this.stopping) {
          message.nak()
          continue
        }
        this.inFlight.track(this.answer(message))
      }
    })()
      .catch((error: unknown) => this.log.warn({ broker: 'nats', err: error }, 'NATS consumer stopped reading'))
      .finally(() => {
        // the consumer ended without stop() (deleted, or its stream was): close, so the supervisor
        // reconnects and declares stream and consumer again
        if (!this.stopping) void this.nc.close().catch(() => undefined)
      })
  }

  private async answer(message: JsMsg): Promise<void> {
    const messageId = safeMessageId(message.headers?.get(correlationHeader)) ?? safeMessageId(message.headers?.get('Nats-Msg-Id'))
    const progress = setInterval(() => message.working(), progressEveryMs)
    try {
      const outcome = await processMessage(message.data, messageId, this.handle)
      if (outcome.kind === 'retry') {
        this.log.warn({ broker: 'nats', messageId, err: outcome.error }, 'handling failed on our side; the message will be delivered again')
        message.nak(retryDelayMs)
        return
      }
      const replyHeaders = headers()
      replyHeaders.set('Content-Type', 'application/json')
      if (messageId !== undefined) replyHeaders.set(correlationHeader, messageId)
      await this.js.publish(this.config.reply, encodeReply(outcome.body, this.maxReplyBytes()), { headers: replyHeaders })
      // confirmed, so stop() cannot close the connection before the ack reached the server
      await message.ackAck()
    } catch (error) {
      this.log.warn({ broker: 'nats', messageId, err: error }, 'could not answer a message; JetStream delivers it again')
    } finally {
      clearInterval(progress)
    }
  }

  /** The server's max_payload (1 MiB by default), less room for the headers. */
  private maxReplyBytes(): number {
    return (this.nc.info?.max_payload ?? 1024 * 1024) - 4096
  }

  async stop(): Promise<void> {
    this.stopping = true
    await this.messages?.close().catch(() => undefined)
    await this.reading
    await this.inFlight.drain()
    await this.nc.drain().catch(() => undefined)
  }
}
