import { randomUUID } from 'node:crypto'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { type EventSourceConfig, consumerNameOf, credentialsOf, urlWithoutCredentials } from './config'
import { type EventHandler, type EventLog, InFlight, type Session, encodeReply, processMessage, retryDelayMs, safeMessageId, sleep } from './shared'

/**
 * MQTT 5 (Mosquitto): requests at QoS 1 into a persistent session (fixed client id, `clean: false`,
 * a session that outlives the connection), so what arrives while we are away, or was in flight when
 * the connection died, is delivered again. Each request's PUBACK is held back (`customHandleAcks`)
 * until the reply, published at QoS 1 on a second connection, has its own PUBACK.
 *
 * mqtt.js handles incoming packets one after another and waits for the ack callback, and MQTT wants
 * PUBACKs in the order the PUBLISHes came: so one request is answered at a time per consumer, and
 * `prefetch` only bounds what the broker sends ahead (Receive Maximum). The reply goes out on its own
 * connection because the consumer connection could not read the reply's PUBACK while it waits.
 */

/** How long the broker keeps the session (and queues requests) while no consumer is connected. */
const sessionExpirySeconds = 7 * 24 * 3600
const replyTimeoutMs = 30_000

type AckCallback = (error: Error | number, code?: number) => void

export async function connectMqtt(config: EventSourceConfig, handle: EventHandler, log: EventLog): Promise<Session> {
  const clientId = consumerNameOf(config)
  const replier = await connectClient(config, log, { clientId: `${clientId}-reply-${randomUUID().slice(0, 8)}`, clean: true })
  let consumer: MqttClient | undefined
  try {
    const session = new MqttSession(replier, config, handle, log)
    consumer = await connectClient(config, log, {
      clientId,
      clean: false,
      properties: { sessionExpiryInterval: sessionExpirySeconds, receiveMaximum: config.prefetch },
      customHandleAcks: (topic, message, packet: { properties?: { correlationData?: Buffer } }, done: AckCallback) =>
        session.onPublish(topic, message, packet.properties?.correlationData, done),
    })
    session.attach(consumer)
    await consumer.subscribeAsync(config.input, { qos: 1 })
    return { closed: session.closed, stop: () => session.stop() }
  } catch (error) {
    await Promise.allSettled([replier.endAsync(true), consumer?.endAsync(true)])
    throw error
  }
}

async function connectClient(config: EventSourceConfig, log: EventLog, options: IClientOptions): Promise<MqttClient> {
  const credentials = credentialsOf(config.url)
  const client = await mqtt.connectAsync(
    urlWithoutCredentials(config.url),
    {
      protocolVersion: 5,
      // reconnecting is the supervisor's job (with backoff); mqtt.js would retry at a fixed period
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...(credentials ? { username: credentials.user, password: credentials.pass } : {}),
      ...options,
    },
    false,
  )
  client.on('error', (error) => log.warn({ broker: 'mqtt', clientId: options.clientId, err: error }, 'MQTT client error'))
  return client
}

class MqttSession {
  private readonly inFlight = new InFlight()
  private readonly stopping = new AbortController()
  private consumer: MqttClient | undefined
  private alive = true
  readonly closed: Promise<Error | undefined>
  private resolveClosed!: (reason: Error | undefined) => void

  constructor(
    private readonly replier: MqttClient,
    private readonly config: EventSourceConfig,
    private readonly handle: EventHandler,
    private readonly log: EventLog,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve))
    replier.on('close', () => this.lost('the reply connection closed'))
  }

  attach(consumer: MqttClient): void {
    this.consumer = consumer
    consumer.on('close', () => this.lost('the consumer connection closed'))
  }

  /** Either connection gone: close the other too, so the supervisor starts both afresh. */
  private lost(why: string): void {
    if (!this.alive) return
    this.alive = false
    this.resolveClosed(this.stopping.signal.aborted ? undefined : new Error(why))
    void this.replier.endAsync(true).catch(() => undefined)
    void this.consumer?.endAsync(true).catch(() => undefined)
  }

  onPublish(topic: string, message: Buffer, correlationData: Buffer | undefined, done: AckCallback): void {
    // after stop() began the PUBACK is never sent: the session keeps the message for the next consumer
    if (this.stopping.signal.aborted || !this.alive) return
    if (topic !== this.config.input) {
      // an old subscription of this persistent session: acknowledged so it cannot block the queue
      this.log.warn({ broker: 'mqtt', topic }, 'dropped a message on a topic this deployment does not consume')
      done(0)
      return
    }
    this.inFlight.track(
      this.answer(message, safeMessageId(correlationData)).then((answered) => {
        if (answered && this.alive) done(0)
      }),
    )
  }

  /** True once the reply is confirmed; false when the message must stay unacknowledged. */
  private async answer(payload: Buffer, messageId: string | undefined): Promise<boolean> {
    // MQTT has no nack: a failure on our side is retried here, holding the PUBACK back meanwhile
    for (;;) {
      const outcome = await processMessage(payload, messageId, this.handle)
      if (outcome.kind === 'reply') return this.publishReply(encodeReply(outcome.body), messageId)
      this.log.warn({ broker: 'mqtt', messageId, err: outcome.error }, 'handling failed on our side; trying again')
      const waited = await sleep(retryDelayMs, this.stopping.signal)
      if (!waited || !this.alive) return false
    }
  }

  private async publishReply(content: Buffer, messageId: string | undefined): Promise<boolean> {
    const properties = { contentType: 'application/json', ...(messageId === undefined ? {} : { correlationData: Buffer.from(messageId) }) }
    try {
      await withTimeout(this.replier.publishAsync(this.config.reply, content, { qos: 1, properties }), replyTimeoutMs)
      return true
    } catch (error) {
      this.log.warn({ broker: 'mqtt', messageId, err: error }, 'could not publish a reply; the request stays unacknowledged')
      this.lost('a reply could not be published')
      return false
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort()
    await this.inFlight.drain()
    this.alive = false
    this.resolveClosed(undefined)
    // a normal DISCONNECT without unsubscribing: the session, and its subscription, stay on the broker
    await Promise.allSettled([this.consumer?.endAsync(), this.replier.endAsync()])
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no PUBACK from the broker within ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
