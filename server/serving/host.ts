// Server-only: this process's serving — its live deployments, prediction log and live health (written
// to the database for the fleet's health query) — built once per process beside the services, and
// stopped with them.
import type { Services } from '@/server/services'
import { EventConsumers } from './event-consumers'
import { LiveDeployments } from './live-deployments'
import { HealthWriter } from './health-writer'
import { LiveHealth } from './live-health'
import type { Serving } from './predict'
import { PredictionLog } from './prediction-log'
import { RateLimiter } from './rate-limit'

export interface ServingHost extends Serving {
  limiter: RateLimiter
  healthWriter: HealthWriter
  close(): Promise<void>
}

export function createServingHost(services: Services): ServingHost {
  const deployments = new LiveDeployments(services)
  const log = new PredictionLog(services.db)
  const health = new LiveHealth()
  const healthWriter = new HealthWriter(services.db, health)
  const host: ServingHost = {
    deployments,
    log,
    health,
    healthWriter,
    limiter: new RateLimiter(),
    async close() {
      await consumers?.close()
      await deployments.close()
      await log.flush()
      await healthWriter.close()
    },
  }
  // one process consumes each deployment's queues (an MQTT session has one client): the web
  // process by default; `PIPEWRIGHT_SERVE_EVENTS=off` leaves them to another
  const consumers = services.env.PIPEWRIGHT_SERVE_EVENTS === 'on' ? new EventConsumers(() => host) : null
  if (consumers) {
    deployments.onChange = (name, live) => consumers.reconcile(name, live)
    // queues are consumed without waiting for a first request
    void deployments.loadAll()
  }
  deployments.startPolling()
  return host
}

// one per process, like the services (Next.js may load this module more than once)
const holder = globalThis as unknown as { __pipewrightServing?: WeakMap<Services, ServingHost> }

export function servingHostOf(services: Services): ServingHost {
  holder.__pipewrightServing ??= new WeakMap()
  let host = holder.__pipewrightServing.get(services)
  if (!host) {
    const created = createServingHost(services)
    holder.__pipewrightServing.set(services, created)
    // before the database closes: the log's last entries are written first
    services.onClose.unshift(() => created.close())
    host = created
  }
  return host
}
