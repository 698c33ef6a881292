import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import IORedis from 'ioredis'
import postgres from 'postgres'

/**
 * PostgreSQL and Redis servers of a test's own, on free ports, that the test may stop and start:
 * the machine's shared servers (5432, 6379) are never touched. Failing to start one fails the
 * test with what went wrong.
 */
export interface ThrowawayServer {
  url: string
  stop(): Promise<void>
  start(): Promise<void>
  /** stop for good and remove its files */
  destroy(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** `redis-server` without persistence: a restart loses every job, as a real one configured so would. */
export async function startThrowawayRedis(): Promise<ThrowawayServer> {
  const port = await freePort()
  const url = `redis://127.0.0.1:${port}`
  let child: ChildProcess | undefined
  let output = ''
  const answers = async () => {
    const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    try {
      await client.connect()
      return (await client.ping()) === 'PONG'
    } finally {
      client.disconnect()
    }
  }
  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout!.on('data', (chunk) => (output += chunk))
    child.stderr!.on('data', (chunk) => (output += chunk))
    child.once('error', (error) => (output += `\n${error.message}`))
    await until('redis-server did not answer', answers, 10_000).catch((error: Error) => {
      throw new Error(`Could not start a throwaway redis-server on port ${port}: ${error.message}\n${output}`)
    })
  }
  const stop = async () => {
    if (!child || child.exitCode !== null) return
    const exited = new Promise((resolve) => child!.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }
  await start()
  return { url, start, stop, destroy: stop }
}

/** A PostgreSQL cluster made with initdb in a temporary folder (as the postgres user when run as root). */
export async function startThrowawayPostgres(): Promise<ThrowawayServer> {
  const bin = postgresBinDir()
  const port = await freePort()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-pgcluster-'))
  const dataDir = path.join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir])
  const run = (program: string, args: string[]) => {
    const [command, fullArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]] : [path.join(bin, program), args]
    try {
      execFileSync(command, fullArgs as string[], { stdio: 'pipe', timeout: 60_000 })
    } catch (error) {
      const failed = error as { stderr?: Buffer; message: string }
      throw new Error(`${program} ${args.join(' ')} failed: ${failed.stderr?.toString() || failed.message}`)
    }
  }
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync'])
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const start = async () => {
    run('pg_ctl', ['-D', dataDir, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start'])
    await until('PostgreSQL did not answer', async () => {
      const client = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} })
      try {
        await client`select 1`
        return true
      } finally {
        await client.end({ timeout: 1 })
      }
    }, 15_000)
  }
  // immediate: as a crash, open connections are cut off mid-statement (fsync=off loses nothing
  // here: only the server process stops, the machine keeps its file cache)
  const stop = async () => run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'])
  await start()
  return {
    url,
    start,
    stop,
    destroy: async () => {
      await stop().catch(() => {})
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql'
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : []
  const found = versions.map((v) => path.join(root, v, 'bin')).find((dir) => fs.existsSync(path.join(dir, 'initdb')))
  if (!found) throw new Error(`No PostgreSQL server binaries (initdb) under ${root}: install the postgresql package.`)
  return found
}
