// `npm run serve`: a process that only answers inference (V2 and records predict), from the same
// route handlers as the web app. Start any number behind a load balancer; each loads every deployment
// before it listens, follows rollouts by polling the database, and on SIGTERM stops taking
// connections, lets the requests it holds finish and writes its last prediction log entries.
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import { env } from '@/server/env'
import { logger } from '@/server/logger'
import { closeServices, getServices } from '@/server/services'
import { servingHostOf } from './host'
import { createInferenceServer } from './inference-server'

/** How long the requests in flight get to finish after SIGTERM before their connections are cut. */
const drainMs = 10_000

// the route handlers read the process's environment: this process serves and does nothing else —
// no seeding, no steps, and so no queue to connect to
process.env.PIPEWRIGHT_ROLE = 'serve'
process.env.REDIS_URL = ''

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, () => resolve((server.address() as AddressInfo).port))
  })
}

function closeServer(server: http.Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  const cut = setTimeout(() => server.closeAllConnections(), drainMs)
  return closed.finally(() => clearTimeout(cut))
}

async function main(): Promise<void> {
  const config = env()
  if (!config.DATABASE_URL) {
    throw new Error(
      'npm run serve needs DATABASE_URL (the PostgreSQL the web app uses): the embedded PGlite database cannot be shared between processes. ' +
        'Without it, `npm start` serves inference itself.',
    )
  }
  const services = await getServices()
  const serving = servingHostOf(services)
  const failed = await serving.deployments.loadAll()
  const server = createInferenceServer(config.PIPEWRIGHT_MAX_INFER_BYTES)
  const port = await listen(server, config.PIPEWRIGHT_SERVE_PORT)
  logger.info({ port, pid: process.pid, failed }, 'serve ready')
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'serve stopping')
    await closeServer(server)
    // the serving host's close (models drained, prediction log flushed) runs before the database closes
    await closeServices(services)
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
}

main().catch((error: unknown) => {
  logger.error({ err: error }, (error as Error).message)
  process.exit(1)
})
