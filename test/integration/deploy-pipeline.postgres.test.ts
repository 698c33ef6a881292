// The deploy node's suite (deploy-pipeline.suite.ts) on PostgreSQL and BullMQ: this process is the
// web side (the routes: approve, reject, predict), a separate one-slot worker process runs the
// steps and its reconciler expires approvals. A restart replaces both.
import { randomUUID } from 'node:crypto'
import { freshPostgresDatabase, requireRedis, startWorkerProcess, stopWorker, tempDir, testRedisUrl, type WorkerProcess } from '../harness/backends'

// fails with how to start PostgreSQL or Redis when one is down: never skipped
await requireRedis(testRedisUrl)
const database = await freshPostgresDatabase()
const shared = {
  DATABASE_URL: database.url,
  REDIS_URL: testRedisUrl,
  PIPEWRIGHT_DATA_DIR: tempDir('deploy-node-pg'),
  PIPEWRIGHT_QUEUE_NAME: `test-${randomUUID()}`,
  PIPEWRIGHT_STALLED_INTERVAL_MS: '2000',
  PIPEWRIGHT_RECONCILE_INTERVAL_MS: '1000',
  PIPEWRIGHT_WORKER_CONCURRENCY: '1',
}
Object.assign(process.env, shared, { PIPEWRIGHT_ROLE: 'web', LOG_LEVEL: 'silent' })

const services = await import('@/server/services')
const { deployPipelineSuite } = await import('./deploy-pipeline.suite')

let worker: WorkerProcess | undefined

async function startWorker(): Promise<void> {
  worker = startWorkerProcess({ ...shared, PIPEWRIGHT_ROLE: 'worker' })
  await worker.ready
}

async function stopEverything(): Promise<void> {
  if (worker) await stopWorker(worker)
  await services.closeServices(await services.getServices())
  delete (globalThis as { __pipewrightServices?: unknown }).__pipewrightServices
}

deployPipelineSuite(async () => {
  await startWorker()
  return {
    services: services.getServices,
    restart: async (down) => {
      await stopEverything()
      await down?.()
      await services.getServices()
      await startWorker()
    },
    close: async () => {
      await stopEverything()
      await database.drop()
    },
  }
})
