// The cost of the trust boundary (proxy guard and headers, streamed body limits, text and depth
// checks): p50 latency of two ordinary requests against this build and against the production
// build of the commit before the boundary, both started here, requests interleaved.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { readJson } from '@/server/http/body'
import { freshPostgresDatabase } from '../harness/backends'

/** The last commit without the boundary; `BENCH_BOUNDARY_BASE` picks another. */
const baseRev = process.env.BENCH_BOUNDARY_BASE ?? 'e1a79f3'
const samples = 400

interface Server {
  url: string
  token: string
  stop(): void
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function buildIfMissing(dir: string): void {
  if (fs.existsSync(path.join(dir, '.next', 'BUILD_ID'))) return
  process.stdout.write(`  building ${dir} …\n`)
  execFileSync(path.join(dir, 'node_modules/.bin/next'), ['build'], { cwd: dir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }, stdio: 'ignore' })
}

/** A checkout of `rev` beside this one, sharing node_modules by hard links, built once. */
function baseCheckout(): string {
  const dir = path.join(os.tmpdir(), `pipewright-bench-base-${baseRev}`)
  if (!fs.existsSync(dir)) {
    execFileSync('git', ['worktree', 'add', '--detach', dir, baseRev], { stdio: 'ignore' })
    execFileSync('cp', ['-al', path.join(process.cwd(), 'node_modules'), path.join(dir, 'node_modules')])
  }
  buildIfMissing(dir)
  return dir
}

async function startServer(dir: string, databaseUrl = ''): Promise<Server> {
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-boundary-'))
  const child: ChildProcess = spawn(path.join(dir, 'node_modules/.bin/next'), ['start', '-p', String(port)], {
    cwd: dir,
    env: { ...process.env, PIPEWRIGHT_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, REDIS_URL: '', LOG_LEVEL: 'warn', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`${url}/api/v1/openapi.json`).then((r) => r.ok, () => false)
    if (ok) break
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  const setup = await fetch(`${url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'benchmarking', name: 'Bench' }),
  })
  const { token } = (await setup.json()) as { token: string }
  return {
    url,
    token,
    stop: () => {
      child.kill('SIGTERM')
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

type Probe = (server: Server, i: number) => Promise<Response>

const listPipelines: Probe = (server) => fetch(`${server.url}/api/v1/pipelines`, { headers: { authorization: `Bearer ${server.token}` } })
const createUseCase: Probe = (server, i) =>
  fetch(`${server.url}/api/v1/use-cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: `Bench use case ${i} [line ${i % 7}]`, problem: 'Scrap on line 3, every shift.', severity: (i % 10) + 1, devCost: 10_000 + i }),
  })

const signed = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(1)}`

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** Alternates the two servers request by request, so both see the same machine at the same moment. */
async function interleaved(probe: Probe, before: Server, after: Server): Promise<{ before: number; after: number }> {
  const times = { before: [] as number[], after: [] as number[] }
  for (let i = 0; i < samples + 50; i++) {
    for (const [side, server] of [['before', before], ['after', after]] as const) {
      const started = performance.now()
      const response = await probe(server, i)
      await response.arrayBuffer()
      if (!response.ok) throw new Error(`${side}: ${response.status}`)
      if (i >= 50) times[side].push(performance.now() - started)
    }
  }
  return { before: median(times.before), after: median(times.after) }
}

const useCaseBody = JSON.stringify({ title: 'Bench use case [line 3]', problem: 'Scrap on line 3, every shift.', severity: 7, devCost: 10_000 })

/** The body checks alone, in this process: the boundary's reading of a use case against the plain read it replaced. */
async function bodyChecks(): Promise<{ checked: number; plain: number }> {
  const request = () => new Request('http://localhost/api/v1/use-cases', { method: 'POST', headers: { 'content-type': 'application/json' }, body: useCaseBody })
  const time = async (read: (r: Request) => Promise<unknown>) => {
    const runs: number[] = []
    for (let i = 0; i < 5000; i++) {
      const r = request()
      const started = performance.now()
      await read(r)
      runs.push(performance.now() - started)
    }
    return median(runs.slice(500)) * 1000
  }
  const plain = await time(async (r) => JSON.parse(await r.text()))
  const checked = await time((r) => readJson(r))
  return { checked, plain }
}

export async function benchBoundary(): Promise<string> {
  buildIfMissing(process.cwd())
  const base = baseCheckout()
  const lines: string[] = []
  for (const backend of ['PGlite', 'PostgreSQL'] as const) {
    const databases = backend === 'PostgreSQL' ? [await freshPostgresDatabase(), await freshPostgresDatabase()] : []
    const before = await startServer(base, databases[0]?.url)
    const after = await startServer(process.cwd(), databases[1]?.url)
    try {
      for (const [name, probe] of [['GET /api/v1/pipelines', listPipelines], ['POST /api/v1/use-cases', createUseCase]] as const) {
        const p50 = await interleaved(probe, before, after)
        const change = ((p50.after - p50.before) / p50.before) * 100
        lines.push(`| ${backend} | ${name} | ${p50.after.toFixed(2)} ms | ${p50.before.toFixed(2)} ms | ${signed(change)} % | within 5 % |`)
      }
    } finally {
      before.stop()
      after.stop()
      await new Promise((resolve) => setTimeout(resolve, 1000))
      for (const database of databases) await database.drop()
    }
  }
  const body = await bodyChecks()
  lines.push(`| in process | reading a use-case body (limit, type, parse, depth, text) | ${body.checked.toFixed(1)} µs | ${body.plain.toFixed(1)} µs (text + JSON.parse) | ${signed(body.checked - body.plain)} µs | — |`)
  return [
    `Trust boundary: p50 of ${samples} requests each, production builds, interleaved (before = ${baseRev}; after includes the audit entry a create writes)`,
    '| backend | request | with the boundary | before it | change | target |',
    '| --- | --- | --- | --- | --- | --- |',
    ...lines,
  ].join('\n')
}
