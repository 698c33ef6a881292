// Server-only: the queues and topics deployments consume (AMQP, MQTT, NATS). Each message is a
// records request (`{ "records": [...] }`) answered on the reply topic with what the records API
// answers; the broker's message is acknowledged only after the answer is published. Consumers follow
// their deployment: started when it lists them, restarted when the list changes, stopped when gone.
import { z } from 'zod'
import { logger } from '@/server/logger'
import { eventSourceSchema, startConsumer, type EventConsumer } from './events'
import type { LiveDeployment } from './live-deployments'
import { predictRecords, type Serving } from './predict'

export const deploymentEventsSchema = z.array(eventSourceSchema).max(8, 'at most 8 queues or topics per deployment')

interface Running {
  config: string
  consumers: Promise<EventConsumer>[]
  abort: AbortController
}

export class EventConsumers {
  private readonly running = new Map<string, Running>()

  constructor(private readonly serving: () => Serving) {}

  /** Brings one deployment's consumers in step with its row (null: the deployment is gone). */
  async reconcile(name: string, live: LiveDeployment | null): Promise<void> {
    const config = JSON.stringify(live?.row.events ?? [])
    const before = this.running.get(name)
    if (before?.config === config) return
    if (before) await this.stop(name)
    const parsed = deploymentEventsSchema.safeParse(live?.row.events ?? [])
    if (!parsed.success || parsed.data.length === 0) return
    const abort = new AbortController()
    const consumers = parsed.data.map((source) =>
      startConsumer(
        source,
        async (body) => predictRecords(this.serving(), await this.serving().deployments.get(name), { json: body }, { protocol: source.kind }),
        logger.child({ deployment: name, broker: source.kind }),
        { signal: abort.signal },
      ),
    )
    // a broker that is down is retried inside startConsumer; only giving up (stop) ends the wait
    for (const consumer of consumers) consumer.catch((error: unknown) => logger.warn({ err: error, deployment: name }, 'events: a consumer did not start'))
    this.running.set(name, { config, consumers, abort })
  }

  private async stop(name: string): Promise<void> {
    const running = this.running.get(name)
    if (!running) return
    this.running.delete(name)
    running.abort.abort()
    await Promise.all(running.consumers.map((c) => c.then((consumer) => consumer.stop(), () => undefined)))
  }

  async close(): Promise<void> {
    await Promise.all([...this.running.keys()].map((name) => this.stop(name)))
  }
}
