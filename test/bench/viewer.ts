// The dataset viewer: time to a page of rows at the start and deep in a million-row dataset, through
// the rows API of a production build over HTTP, beside DuckDB alone reading the same page from the same
// file in this process; and the image grid's thumbnails, made once and then answered from the store.
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import sharp from 'sharp'
import { quoteLiteral, withDuckDB } from '@/nodes/_lib/duckdb'
import { startAppServer, type AppServer } from '../harness/app-server'
import { tempDir } from '../harness/backends'

const rows = 1_000_000
const pageRows = 100
const repeats = 20

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!
}

const ms = (value: number) => `${value.toFixed(1)} ms`

interface Client {
  app: AppServer
  token: string
  get(url: string): Promise<Response>
}

async function client(): Promise<Client> {
  const app = await startAppServer({ LOG_LEVEL: 'warn' })
  const owner = { name: 'Bench', email: 'bench@example.com', password: 'benchmark password' }
  const setup = await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
  const { token } = (await setup.json()) as { token: string }
  return { app, token, get: (url) => fetch(`${app.url}${url}`, { headers: { authorization: `Bearer ${token}` } }) }
}

async function post(c: Client, url: string, body: BodyInit, contentType: string) {
  const response = await fetch(`${c.app.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${c.token}`, 'content-type': contentType }, body })
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`)
  return response.json() as Promise<Record<string, string>>
}

/** A million rows × 10 columns uploaded and ingested, as a user gets one: the ingest step's dataset. */
async function millionRowDataset(c: Client, dir: string): Promise<string> {
  const file = path.join(dir, 'wide.parquet')
  await withDuckDB((db) =>
    db.exec(
      `COPY (SELECT i + 1 AS id, i % 1000 / 10 AS "sensor A", (i * 7) % 500 AS sensor_b, (i * 13) % 97 AS sensor_c, 20 + (i % 17) * 0.5 AS "temp [°C]", ` +
        `1000 + i % 50 AS pressure, CASE WHEN i % 3 = 0 THEN 'ok' ELSE 'warn' END AS status, ['north', 'south', 'east', 'west'][i % 4 + 1] AS site, ` +
        `i % 2 = 0 AS flag, 'row ' || (i + 1) AS note FROM range(${rows}) t(i)) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`,
    ),
  )
  const { artifactId } = await post(c, '/api/v1/uploads?filename=wide.parquet', fs.readFileSync(file), 'application/octet-stream')
  const pipeline = { apiVersion: 'pipewright/v1', name: 'viewer-bench', nodes: [{ id: 'load', kind: 'ingest', config: { source: { type: 'upload', artifactId } } }], edges: [] }
  const { id } = await post(c, '/api/v1/pipelines', JSON.stringify(pipeline), 'application/json')
  const { runId } = await post(c, `/api/v1/pipelines/${id}/runs`, '', 'application/json')
  for (;;) {
    const run = (await (await c.get(`/api/v1/runs/${runId}`)).json()) as { status: string; steps: { outputs: Record<string, string> }[] }
    if (run.status === 'succeeded') return run.steps[0]!.outputs.dataset!
    if (run.status === 'failed' || run.status === 'canceled') throw new Error(`the ingest run ${run.status}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function timedPage(c: Client, id: string, offset: number, limit = pageRows): Promise<number> {
  const started = performance.now()
  const response = await c.get(`/api/v1/artifacts/${id}/rows?offset=${offset}&limit=${limit}`)
  const body = (await response.json()) as { rows: unknown[] }
  const elapsed = performance.now() - started
  if (!response.ok || body.rows.length === 0) throw new Error(`rows at ${offset}: ${response.status}`)
  return elapsed
}

/** The same page read by DuckDB alone in this process: one query on an open connection, rows made JSON-safe. */
async function duckPages(file: string, offsets: number[], limit = pageRows): Promise<number[]> {
  return withDuckDB(async (db) => {
    const times: number[] = []
    for (const offset of offsets) {
      const started = performance.now()
      await db.rows(`SELECT * FROM read_parquet(${quoteLiteral(file)}) LIMIT ${limit} OFFSET ${offset}`)
      times.push(performance.now() - started)
    }
    return times
  })
}

async function thumbnails(c: Client) {
  const png = await sharp({ create: { width: 1024, height: 768, channels: 3, background: '#8a9' } })
    .composite([{ input: Buffer.alloc(200 * 200 * 3, 40), raw: { width: 200, height: 200, channels: 3 }, left: 300, top: 200 }])
    .png()
    .toBuffer()
  const made: number[] = []
  const cached: number[] = []
  const alone: number[] = []
  for (let i = 0; i < 5; i++) {
    // a different image each time, so every first request makes a thumbnail
    const variant = await sharp(png).modulate({ brightness: 1 + i / 50 }).png().toBuffer()
    const { artifactId } = await post(c, `/api/v1/uploads?filename=bench-${i}.png`, variant, 'image/png')
    let started = performance.now()
    await (await c.get(`/api/v1/blobs/${artifactId}?thumb=1`)).arrayBuffer()
    made.push(performance.now() - started)
    started = performance.now()
    await (await c.get(`/api/v1/blobs/${artifactId}?thumb=1`)).arrayBuffer()
    cached.push(performance.now() - started)
    started = performance.now()
    await sharp(variant).resize(160, 160, { fit: 'inside' }).webp({ quality: 80 }).toBuffer()
    alone.push(performance.now() - started)
  }
  return { made: quantile(made, 0.5), cached: quantile(cached, 0.5), alone: quantile(alone, 0.5) }
}

export async function benchViewer(): Promise<string> {
  const dir = tempDir('viewer-bench')
  const c = await client()
  try {
    const id = await millionRowDataset(c, dir)
    const file = path.join(c.app.dataDir, 'artifacts', 'blobs', id.slice(0, 2), id.slice(2))
    const last = rows - pageRows
    const firstEver = await timedPage(c, id, 0)
    const first: number[] = []
    const end: number[] = []
    for (let i = 0; i < repeats; i++) {
      first.push(await timedPage(c, id, 0))
      end.push(await timedPage(c, id, last))
    }
    const endBig: number[] = []
    for (let i = 0; i < repeats; i++) endBig.push(await timedPage(c, id, rows - 1000, 1000))
    // jumps anywhere, as "go to row" and the scroll bar make them
    const randomOffsets = Array.from({ length: 50 }, (_, i) => Math.floor((((i * 7919) % 1000) / 1000) * last))
    const jumps: number[] = []
    for (const offset of randomOffsets) jumps.push(await timedPage(c, id, offset))

    // the same route stack without DuckDB: what HTTP, the token check and the metadata lookup cost
    const stack: number[] = []
    for (let i = 0; i < repeats; i++) {
      const started = performance.now()
      await (await c.get(`/api/v1/artifacts/${id}`)).json()
      stack.push(performance.now() - started)
    }
    const duckFirst = await duckPages(file, Array(repeats).fill(0))
    const duckEnd = await duckPages(file, Array(repeats).fill(last))
    const duckEndBig = await duckPages(file, Array(repeats).fill(rows - 1000), 1000)
    const duckJumps = await duckPages(file, randomOffsets)
    const thumbs = await thumbnails(c)

    const row = (what: string, api: number[], duck: number[], target: string) =>
      `| ${what} | ${ms(quantile(api, 0.5))} (p95 ${ms(quantile(api, 0.95))}) | ${ms(quantile(duck, 0.5))} (p95 ${ms(quantile(duck, 0.95))}) | ${target} |`
    return [
      `Dataset viewer: GET /api/v1/artifacts/{id}/rows over HTTP (production build, PGlite) on ${rows.toLocaleString('en')} × 10 rows, ${repeats} requests each; reference: DuckDB alone, the same page of the same file`,
      '| request | rows API | DuckDB alone | target |',
      '| --- | --- | --- | --- |',
      `| first rows, the very first request (opens the file) | ${ms(firstEver)} | — | — |`,
      row(`first rows (offset 0, ${pageRows} rows)`, first, duckFirst, '—'),
      row(`jump to row 1,000,000 (offset ${last.toLocaleString('en')}, ${pageRows} rows)`, end, duckEnd, '≤ 300 ms'),
      row('the last 1,000 rows in one page (limit 1000)', endBig, duckEndBig, '≤ 300 ms'),
      row(`50 jumps anywhere (${pageRows} rows each)`, jumps, duckJumps, '≤ 300 ms'),
      `| GET /api/v1/artifacts/{id} (metadata, no DuckDB): the route stack's own cost | ${ms(quantile(stack, 0.5))} (p95 ${ms(quantile(stack, 0.95))}) | — | — |`,
      `| thumbnail of a 1024 × 768 PNG, first request (made and stored) | ${ms(thumbs.made)} | ${ms(thumbs.alone)} (sharp resize to WebP alone) | — |`,
      `| the same thumbnail again (from the store) | ${ms(thumbs.cached)} | — | — |`,
    ].join('\n')
  } finally {
    await c.app.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
