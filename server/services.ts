import { samplesDirUnder } from '@/nodes/samples-dir'
import path from 'node:path'
import { openDatabase, type Database, type Db } from '@/db'
import { LocalArtifactStore, type ArtifactStore } from './artifacts/store'
import { env, type Env } from './env'
import { BullStepQueue } from './runner/bullmq-queue'
import { InProcessQueue } from './runner/in-process-queue'
import type { StepQueue } from './runner/queue'

/** Everything the server's use cases need, built once per process. */
export interface Services {
  env: Env
  database: Database
  db: Db
  store: ArtifactStore
  queue: StepQueue
  samplesDir: string
  /** background work to stop before the queue and database close (the reconciler) */
  onClose: Array<() => Promise<void>>
}

export async function createServices(config: Env): Promise<Services> {
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir })
  const store = new LocalArtifactStore(path.join(config.dataDir, 'artifacts'))
  let queue: StepQueue
  if (config.REDIS_URL) {
    const bull = new BullStepQueue({
      redisUrl: config.REDIS_URL,
      queueName: config.PIPEWRIGHT_QUEUE_NAME,
      stalledIntervalMs: config.PIPEWRIGHT_STALLED_INTERVAL_MS,
    })
    await bull.ping()
    queue = bull
  } else {
    queue = new InProcessQueue()
  }
  return {
    env: config,
    database,
    db: database.db,
    store,
    queue,
    samplesDir: samplesDirUnder(process.cwd()),
    onClose: [],
  }
}

export async function closeServices(services: Services): Promise<void> {
  for (const stop of services.onClose.splice(0)) await stop()
  await services.queue.close()
  await services.database.close()
}

// Next.js may load this module more than once (route bundles, instrumentation); one
// database and one queue per process live on globalThis.
const holder = globalThis as unknown as { __pipewrightServices?: Promise<Services> }

export function getServices(): Promise<Services> {
  holder.__pipewrightServices ??= createServices(env())
  return holder.__pipewrightServices
}
