import { connectAmqp } from './amqp'
import { type EventSourceInput, eventSourceSchema, redactUrl } from './config'
import { connectMqtt } from './mqtt'
import { connectNats } from './nats'
import { type EventConsumer, type EventHandler, type EventLog, type Session, supervise } from './shared'

export { type EventSourceConfig, type EventSourceInput, eventSourceSchema } from './config'
export type { EventConsumer, EventHandler, EventLog, ReplyBody } from './shared'

export interface StartConsumerOptions {
  /** aborting gives up connecting for the first time; startConsumer then rejects */
  signal?: AbortSignal
}

/**
 * Consumes `config.input` and publishes each answer (`{ messageId, result }`) or error
 * (`{ messageId, error }`) to `config.reply`. Resolves once the first connection is up and
 * subscribed; reconnects with backoff whenever the broker connection drops. A config that fails the
 * schema throws its ZodError here, before anything connects.
 */
export async function startConsumer(
  config: EventSourceInput,
  handle: EventHandler,
  log: EventLog,
  options: StartConsumerOptions = {},
): Promise<EventConsumer> {
  const checked = eventSourceSchema.parse(config)
  const connectors: Record<typeof checked.kind, () => Promise<Session>> = {
    amqp: () => connectAmqp(checked, handle, log),
    mqtt: () => connectMqtt(checked, handle, log),
    nats: () => connectNats(checked, handle, log),
  }
  const broker = `${checked.kind} ${redactUrl(checked.url)}`
  return supervise(connectors[checked.kind], { broker, log, ...(options.signal ? { signal: options.signal } : {}) })
}
