import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import IORedis from 'ioredis'
import postgres from 'postgres'
import { readEnv } from '@/server/env'
import { startRunningSteps } from '@/server/runner/step-runner'
import { closeServices, createServices, type Services } from '@/server/services'

export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export interface Backend {
  name: string
  services: Services
  dataDir: string
  /** environment a separate worker process needs to join this backend */
  workerEnv: Record<string, string>
  close(): Promise<void>
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pipewright-${label}-`))
}

/** PGlite + in-process queue in a fresh data folder: what `npm start` runs. */
export async function embeddedBackend(extraEnv: Record<string, string> = {}): Promise<Backend> {
  const dataDir = tempDir('embedded')
  const services = await createServices(readEnv({ PIPEWRIGHT_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extraEnv }))
  await startRunningSteps(services, 2)
  return {
    name: 'PGlite + in-process queue',
    services,
    dataDir,
    workerEnv: {},
    close: async () => {
      await closeServices(services)
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Real PostgreSQL (a fresh database) + Redis (a fresh queue name); steps run in worker processes.
 * The shared test servers unless others are named (the fault tests bring their own).
 */
export async function postgresRedisBackend(
  servers: { postgresUrl?: string; redisUrl?: string; env?: Record<string, string> } = {},
): Promise<Backend> {
  const redisUrl = servers.redisUrl ?? testRedisUrl
  await requireRedis(redisUrl)
  const database = await freshPostgresDatabase(servers.postgresUrl)
  const databaseUrl = database.url
  const dataDir = tempDir('pg')
  const workerEnv = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PIPEWRIGHT_DATA_DIR: dataDir,
    PIPEWRIGHT_QUEUE_NAME: `test-${randomUUID()}`,
    PIPEWRIGHT_STALLED_INTERVAL_MS: '2000',
    LOG_LEVEL: 'warn',
    ...servers.env,
  }
  const services = await createServices(readEnv({ ...workerEnv, PIPEWRIGHT_ROLE: 'web' }))
  return {
    name: 'PostgreSQL + BullMQ with worker processes',
    services,
    dataDir,
    workerEnv,
    close: async () => {
      await closeServices(services)
      await database.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A new, empty database on the test PostgreSQL; fails with how to start it when it is down. */
export async function freshPostgresDatabase(serverUrl = testDatabaseUrl): Promise<{ url: string; drop(): Promise<void> }> {
  await requirePostgres(serverUrl)
  const databaseName = `pw_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${databaseName}"`)
  return {
    url: withDatabase(serverUrl, databaseName),
    drop: async () => {
      await admin.unsafe(`drop database if exists "${databaseName}" with (force)`)
      await admin.end()
    },
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

export async function requirePostgres(url = testDatabaseUrl): Promise<void> {
  const client = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} })
  try {
    await client`select 1`
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${url} (${(error as Error).message}). ` +
        'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set TEST_DATABASE_URL.',
    )
  } finally {
    await client.end({ timeout: 1 })
  }
}

export async function requireRedis(url = testRedisUrl): Promise<void> {
  const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000, retryStrategy: () => null })
  try {
    await client.connect()
    await client.ping()
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${url} (${(error as Error).message}). ` +
        'Start it (redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no) or set TEST_REDIS_URL.',
    )
  } finally {
    client.disconnect()
  }
}

/** A real `npm run worker` process. */
export type WorkerProcess = ChildProcess & { ready: Promise<void>; output(): string }

export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  // one process (no tsx wrapper process), so a SIGKILL really kills the worker
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker/main.ts'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as WorkerProcess
  let output = ''
  child.output = () => output
  child.ready = new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('worker ready')) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready:\n${output}`)))
  })
  return child
}

export async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
  if (child.exitCode === null) child.kill('SIGKILL')
}
