import { logger } from './logger'
import { startRunningSteps } from './runner/step-runner'
import { seedSamplePipeline } from './seed/seed'
import { getServices } from './services'
import { seedUseCases } from './use-cases/seed'

const holder = globalThis as unknown as { __pipewrightBooted?: Promise<void> }

/**
 * Called once when the web process starts: database migrated, sample pipeline and example use cases present, and,
 * unless this process is web-only, a worker taking steps (in-process queue, or BullMQ).
 */
export function boot(): Promise<void> {
  holder.__pipewrightBooted ??= bootOnce()
  return holder.__pipewrightBooted
}

async function bootOnce(): Promise<void> {
  const services = await getServices()
  // a `serve` process only reads deployments: it seeds nothing and runs no steps
  if (services.env.PIPEWRIGHT_ROLE === 'serve') return
  await seedSamplePipeline(services.db)
  await seedUseCases(services.db)
  services.store.removeScratchOlderThan(24 * 3600_000)
  if (services.env.PIPEWRIGHT_ROLE === 'web' && services.queue.kind === 'in-process') {
    logger.error('PIPEWRIGHT_ROLE=web without REDIS_URL: no process will run steps. Set REDIS_URL and start `npm run worker`.')
  }
  if (services.env.PIPEWRIGHT_ROLE !== 'web') {
    await startRunningSteps(services, services.env.PIPEWRIGHT_WORKER_CONCURRENCY)
  }
  logger.info(
    { database: services.database.kind, queue: services.queue.kind, dataDir: services.env.dataDir },
    'pipewright ready',
  )
}
