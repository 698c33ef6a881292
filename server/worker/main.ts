import { env } from '@/server/env'
import { logger } from '@/server/logger'
import { startRunningSteps } from '@/server/runner/step-runner'
import { closeServices, createServices } from '@/server/services'

/** A worker process: takes steps from BullMQ, runs them, and puts lost ones back. Start any number, anywhere. */
async function main(): Promise<void> {
  const config = env()
  if (!config.REDIS_URL) {
    throw new Error('A separate worker needs REDIS_URL (and DATABASE_URL); without them `npm start` runs steps in-process.')
  }
  if (!config.DATABASE_URL) throw new Error('A separate worker needs DATABASE_URL: PGlite cannot be shared between processes.')
  const services = await createServices(config)
  await startRunningSteps(services, config.PIPEWRIGHT_WORKER_CONCURRENCY)
  logger.info({ concurrency: config.PIPEWRIGHT_WORKER_CONCURRENCY, pid: process.pid }, 'worker ready')
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'worker stopping')
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
