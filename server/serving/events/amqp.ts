import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib'
import type { EventSourceConfig } from './config'
import { type EventHandler, type EventLog, InFlight, type Session, encodeReply, processMessage, retryDelayMs, safeMessageId, sleep } from './shared'

/**
 * RabbitMQ (AMQP 0-9-1): both queues durable, replies persistent and sent on a confirm channel,
 * and the request acknowledged only once RabbitMQ confirmed the reply. A connection that drops takes
 * its unacknowledged requests with it, and RabbitMQ hands them to the next consumer.
 */
export async function connectAmqp(config: EventSourceConfig, handle: EventHandler, log: EventLog): Promise<Session> {
  const connection = await amqp.connect(config.url, { timeout: 10_000 })
  const closed = new Promise<Error | undefined>((resolve) => {
    connection.on('close', (error?: Error) => resolve(error))
  })
  // without an 'error' listener a dropped socket would be an uncaught exception
  connection.on('error', (error: Error) => log.warn({ broker: 'amqp', err: error }, 'AMQP connection error'))
  try {
    const channel = await openChannel(connection, config, log)
    const session = new AmqpSession(connection, channel, config, handle, log)
    await session.start()
    return { closed, stop: () => session.stop() }
  } catch (error) {
    await connection.close().catch(() => undefined)
    throw error
  }
}

async function openChannel(connection: ChannelModel, config: EventSourceConfig, log: EventLog): Promise<ConfirmChannel> {
  const channel = await connection.createConfirmChannel()
  channel.on('error', (error: Error) => log.warn({ broker: 'amqp', err: error }, 'AMQP channel error'))
  // a channel the broker closed (a queue deleted, a refused publish) is useless: drop the connection
  // so the supervisor reconnects and declares everything afresh
  channel.on('close', () => void connection.close().catch(() => undefined))
  await channel.assertQueue(config.input, { durable: true })
  await channel.assertQueue(config.reply, { durable: true })
  await channel.prefetch(config.prefetch)
  return channel
}

class AmqpSession {
  private readonly inFlight = new InFlight()
  private readonly stopping = new AbortController()
  private consumerTag: string | undefined

  constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
    private readonly config: EventSourceConfig,
    private readonly handle: EventHandler,
    private readonly log: EventLog,
  ) {}

  async start(): Promise<void> {
    const reply = await this.channel.consume(this.config.input, (message) => this.onDelivery(message), { noAck: false })
    this.consumerTag = reply.consumerTag
  }

  private onDelivery(message: ConsumeMessage | null): void {
    if (message === null) {
      // the broker cancelled us (the queue was deleted): reconnecting declares it again
      this.log.warn({ broker: 'amqp', queue: this.config.input }, 'RabbitMQ cancelled the consumer; reconnecting')
      void this.connection.close().catch(() => undefined)
      return
    }
    // taken after stop() began: left unacknowledged, so closing the channel gives it back
    if (this.stopping.signal.aborted) return
    this.inFlight.track(this.answer(message))
  }

  private async answer(message: ConsumeMessage): Promise<void> {
    const messageId = safeMessageId(message.properties.correlationId) ?? safeMessageId(message.properties.messageId)
    const outcome = await processMessage(message.content, messageId, this.handle)
    try {
      if (outcome.kind === 'retry') {
        this.log.warn({ broker: 'amqp', messageId, err: outcome.error }, 'handling failed on our side; the message will be delivered again')
        await sleep(retryDelayMs, this.stopping.signal)
        this.channel.nack(message, false, true)
        return
      }
      await this.publishConfirmed(encodeReply(outcome.body), messageId)
      this.channel.ack(message)
    } catch (error) {
      // the channel is gone: RabbitMQ requeues the request itself, so it is answered again later
      this.log.warn({ broker: 'amqp', messageId, err: error }, 'could not answer a message; it stays on the queue')
    }
  }

  private publishConfirmed(content: Buffer, messageId: string | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const options = {
        persistent: true,
        contentType: 'application/json',
        ...(messageId === undefined ? {} : { correlationId: messageId }),
      }
      this.channel.sendToQueue(this.config.reply, content, options, (error: unknown) => {
        if (error) reject(error instanceof Error ? error : new Error(`RabbitMQ refused the reply: ${String(error)}`))
        else resolve()
      })
    })
  }

  async stop(): Promise<void> {
    this.stopping.abort()
    if (this.consumerTag) await this.channel.cancel(this.consumerTag).catch(() => undefined)
    await this.inFlight.drain()
    await this.connection.close().catch(() => undefined)
  }
}
