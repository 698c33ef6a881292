// The canvas benchmark: a 1,000-node pipeline in the editor, beside a 10-node one and beside
// bare React Flow with as many default nodes, all in the same headless Chromium in the same run.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Page } from 'playwright-core'
import { compile } from '@/server/compiler/compile'
import type { PipelineFile } from '@/server/compiler/pipeline-file'
import { startAppServer, type AppServer } from '../harness/app-server'
import { launchBrowser } from '../harness/browser'
import { startBarePage } from './bare-react-flow-server'
import { installOpenProbe, measureDrag, measureOpen, quantile, type FrameTiming, type OpenTiming } from './canvas-measure'
import { generatedPipeline } from './canvas-pipelines'

const owner = { name: 'Bench Owner', email: 'bench@example.com', password: 'benchmark password' }
const viewport = { width: 1280, height: 860 }
const sizes = [1000, 10] as const
/** measured opens after one warm-up open (which fills the HTTP cache and V8's code cache) */
const opens = 5

interface CanvasFigures {
  open: OpenTiming
  drag: FrameTiming
  compileMs: number | null
}

/** The production build the app server needs; built here when there is none, as `npm test` would. */
export function ensureBuild(): void {
  if (fs.existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'))) return
  process.stdout.write('No production build: running `next build` first…\n')
  execFileSync(path.join(process.cwd(), 'node_modules/.bin/next'), ['build'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  })
}

async function api<T>(app: AppServer, route: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${app.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  if (response.status !== 201) throw new Error(`POST ${route}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

async function signIn(page: Page, app: AppServer): Promise<void> {
  await page.goto(`${app.url}/sign-in`)
  await page.fill('input[type=email]', owner.email)
  await page.fill('input[type=password]', owner.password)
  await page.click('button[type=submit]')
  await page.waitForURL('**/pipelines')
}

/** The median open of `opens` after a warm-up: a single open swings by a few hundred ms with GC and the server. */
async function typicalOpen(page: Page, url: string, expected: number): Promise<OpenTiming> {
  await measureOpen(page, url, expected)
  const timings: OpenTiming[] = []
  for (let i = 0; i < opens; i++) timings.push(await measureOpen(page, url, expected))
  return timings.sort((a, b) => a.ms - b.ms)[Math.floor(opens / 2)]!
}

/** A node from the middle of the grid, so it has edges in and out and neighbours all round. */
const middleIndex = (n: number) => Math.floor(n / 2)

/** Lets the open's own animation (the editor eases into its fitted view) finish before a drag. */
const settle = (page: Page) => page.waitForTimeout(1000)

function compileMs(file: PipelineFile): number {
  const first = compile(file)
  if (!first.ok) throw new Error(`generated pipeline does not compile: ${first.errors[0]?.message}`)
  for (let i = 0; i < 3; i++) compile(file)
  const samples: number[] = []
  for (let i = 0; i < 20; i++) {
    const started = performance.now()
    compile(file)
    samples.push(performance.now() - started)
  }
  return quantile(samples, 0.5)
}

async function measurePipewright(page: Page, app: AppServer, token: string, n: number): Promise<CanvasFigures> {
  const file = generatedPipeline(n)
  const { id } = await api<{ id: string }>(app, '/api/v1/pipelines', file, token)
  const open = await typicalOpen(page, `${app.url}/pipelines/${id}`, n)
  await page.waitForSelector('[data-testid=pipeline-editor][data-ready=true]')
  await settle(page)
  const drag = await measureDrag(page, `.react-flow__node[data-node-id=v${middleIndex(n)}]`)
  return { open, drag, compileMs: compileMs(file) }
}

async function measureBare(page: Page, baseUrl: string, n: number): Promise<CanvasFigures> {
  const open = await typicalOpen(page, `${baseUrl}/?n=${n}`, n)
  await settle(page)
  const drag = await measureDrag(page, `.react-flow__node[data-id=n${middleIndex(n)}]`)
  return { open, drag, compileMs: null }
}

/** Runs the whole comparison and returns it as a printed table. */
export async function benchCanvas(): Promise<string> {
  ensureBuild()
  const app = await startAppServer()
  const bare = await startBarePage()
  const browser = await launchBrowser()
  const pageErrors: string[] = []
  try {
    const { token } = await api<{ token: string }>(app, '/api/v1/setup', owner)
    const page = await browser.newPage({ viewport })
    page.setDefaultTimeout(60_000)
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await signIn(page, app)
    await installOpenProbe(page)
    const product: CanvasFigures[] = []
    for (const n of sizes) product.push(await measurePipewright(page, app, token, n))
    const reference: CanvasFigures[] = []
    for (const n of sizes) reference.push(await measureBare(page, bare.url, n))
    return canvasTable([...product, ...reference], pageErrors)
  } finally {
    await browser.close()
    await bare.stop()
    await app.stop()
  }
}

function canvasTable(columns: CanvasFigures[], pageErrors: string[]): string {
  const ms = (value: number | null) => (value === null ? '—' : value < 10 ? value.toFixed(1) : value.toFixed(0))
  const heads = ['Pipewright 1,000', 'Pipewright 10', 'bare React Flow 1,000', 'bare React Flow 10']
  const rows: string[][] = [
    ['', ...heads, 'target'],
    ['open (ms)', ...columns.map((c) => ms(c.open.ms)), '≤ 1500'],
    ['drag median frame (ms)', ...columns.map((c) => ms(c.drag.median)), '≤ 33'],
    ['drag p95 frame (ms)', ...columns.map((c) => ms(c.drag.p95)), '≤ 33'],
    ['  any rAF, median / p95', ...columns.map((c) => `${ms(c.drag.rafMedian)} / ${ms(c.drag.rafP95)}`), ''],
    ['compile (ms)', ...columns.map((c) => ms(c.compileMs)), '≤ 50'],
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  const lines = rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
  const expected = [...sizes, ...sizes]
  const culled = columns.flatMap((c, i) =>
    c.open.rendered < expected[i]! ? [`${heads[i]}: ${c.open.rendered} of ${expected[i]} nodes drawn (the rest culled); open timed to that count`] : [],
  )
  const moves = columns.map((c, i) => `${heads[i]} ${c.drag.moves} of ${c.drag.frames} in ${(c.drag.spanMs / 1000).toFixed(1)} s`).join('; ')
  return [
    `canvas: open = navigation → all nodes drawn (median of ${opens} after a warm-up); drag one node for 2 s; compile on the server (median of 20)`,
    ...lines.map((line) => `  ${line}`),
    '  a drag frame is one that shows the dragged node somewhere new (the gap between two such rAF timestamps);',
    `  frames that did: ${moves}`,
    ...culled.map((note) => `  note: ${note}`),
    ...(pageErrors.length > 0 ? [`  page errors: ${[...new Set(pageErrors)].join('; ')}`] : []),
  ].join('\n')
}
