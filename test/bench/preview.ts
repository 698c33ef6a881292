// `BENCH_ONLY=preview`: the browser preview page of a production build, cross-origin isolated and so
// on wasm threads, beside onnxruntime-node on the same model and input in this process, for the
// harness's small CNN and a larger one. Also in the same run: the same page with COEP taken off in
// the browser (one thread), which is what the preview ran before it was isolated.
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import ort from 'onnxruntime-node'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import type { RawTensor } from '@/nodes/train-handoff/onnx/test-runtimes'
import { startAppServer, type AppServer } from '../harness/app-server'
import { dropImageFile, launchBrowser, signIn } from '../harness/browser'
import { timeInPage } from '../harness/onnx-web-page'
import { ModelTrainer } from '../harness/trained-models'
import { ensureBuild } from './canvas'

const owner = { name: 'Bench Owner', email: 'bench@example.com', password: 'benchmark password' }
/** the camera-strip size the serving benchmark uses: one RGB image of 48×192 */
const imageHeight = 48
const imageWidth = 192
const runs = Number(process.env.BENCH_PREVIEW_RUNS ?? 200)
/** rounds interleave the four runtimes, so a burst of load on the shared machine hits them alike */
const rounds = Number(process.env.BENCH_PREVIEW_ROUNDS ?? 3)
const target = 2

const models: Array<{ name: string; shape: { imageSize?: number; filters?: number[] } }> = [
  { name: 'small-cnn', shape: {} },
  { name: 'larger-cnn', shape: { imageSize: 64, filters: [16, 32] } },
]

interface Timing {
  createMs: number
  p50Ms: number
}

/** one mode of the page: its own figure (what a person reads on it) and the steady runs timed in it */
interface PageFigures {
  threads: string
  threadCount: number
  /** the page's "One prediction" line after a drop: p50 of its 20 runs, which yield to the page between runs */
  shownMs: number[]
  /** the page's first session, as its latency line shows it */
  shownCreate: string
  steady: Timing[]
}

interface ModelFigures {
  label: string
  isolated: PageFigures
  plain: PageFigures
  node1: Timing[]
  nodeThreads: Timing[]
}

/** A deterministic noisy picture with stripes, raw RGB. */
function stripes(): Uint8Array {
  const rgb = new Uint8Array(imageWidth * imageHeight * 3)
  for (let i = 0; i < rgb.length; i++) rgb[i] = (Math.floor(i / 3 / imageWidth) % 8 < 4 ? 200 : 60) + ((i * 7919) % 23)
  return rgb
}

async function nodeTiming(bytes: Uint8Array, feeds: Record<string, RawTensor>, threads: number): Promise<Timing> {
  const createStarted = performance.now()
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1 })
  const createMs = performance.now() - createStarted
  const tensors = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data, [...t.dims])]))
  for (let i = 0; i < 20; i++) await session.run(tensors)
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await session.run(tensors)
    times.push(performance.now() - started)
  }
  await session.release()
  return { createMs, p50Ms: median(times) }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function importModel(app: AppServer, token: string, name: string, bytes: Uint8Array): Promise<void> {
  const labels = readModelMetadata(bytes)!.labels!
  const response = await fetch(`${app.url}/api/v1/models/${name}/versions?labels=${labels.join(',')}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: Buffer.from(bytes) })
  if (response.status !== 201) throw new Error(`import ${name}: ${response.status} ${await response.text()}`)
}

/**
 * The preview page as a person opens it. `isolated: false` strips COEP from the page's answer in the
 * browser, so the same page runs as it did before it was isolated: one thread.
 */
async function openPreview(page: Page, app: AppServer, name: string, isolated: boolean): Promise<PageFigures> {
  if (!isolated) {
    await page.route(`**/models/${name}/versions/1/preview`, async (route) => {
      const response = await route.fetch()
      const headers = { ...response.headers() }
      delete headers['cross-origin-embedder-policy']
      await route.fulfill({ response, headers })
    })
  }
  await page.goto(`${app.url}/models/${name}/versions/1/preview`)
  await page.waitForSelector('[data-testid=preview-ready]')
  if ((await page.evaluate(() => globalThis.crossOriginIsolated)) !== isolated) throw new Error(`the preview page should ${isolated ? '' : 'not '}be cross-origin isolated`)
  // the page's own onnxruntime-web, with the settings it chose: the same URL is the same module instance
  await page.evaluate(async () => {
    const url = '/ort/ort.wasm.min.mjs'
    ;(window as unknown as { ort: unknown }).ort = await import(/* webpackIgnore: true */ url)
  })
  return {
    threads: (await page.textContent('[data-testid=preview-threads]')) ?? '',
    threadCount: Number(await page.getAttribute('[data-testid=preview-threads]', 'data-threads')),
    shownMs: [],
    shownCreate: '',
    steady: [],
  }
}

/** Drops the picture on the page and reads the latency line it prints once its 20 timed runs are done. */
async function shownLatency(page: Page, png: Buffer): Promise<{ p50Ms: number; create: string }> {
  // the line reads "measuring…" and then the figure: watch it change rather than read a stale one
  await page.evaluate(() => {
    const w = window as unknown as { shownP50?: string | null }
    w.shownP50 = null
    let measuring = false
    const observer = new MutationObserver(() => {
      const text = document.querySelector('[data-testid=preview-p50-ms]')?.textContent ?? ''
      if (text === 'measuring…') measuring = true
      else if (measuring && /^[\d.]+ (ms|s)$/.test(text)) {
        w.shownP50 = text
        observer.disconnect()
      }
    })
    observer.observe(document.body, { subtree: true, childList: true, characterData: true })
  })
  await dropImageFile(page, '[data-testid=preview-drop]', png, 'stripes.png')
  const shown = String(await (await page.waitForFunction(() => (window as unknown as { shownP50?: string | null }).shownP50)).jsonValue())
  const [value, unit] = shown.split(' ')
  return { p50Ms: Number(value) * (unit === 's' ? 1000 : 1), create: (await page.textContent('[data-testid=preview-create-ms]')) ?? '' }
}

async function measureModel(pages: { isolated: Page; plain: Page }, app: AppServer, model: { name: string; bytes: Uint8Array; label: string }, png: Buffer, feeds: Record<string, RawTensor>): Promise<ModelFigures> {
  const isolated = await openPreview(pages.isolated, app, model.name, true)
  const plain = await openPreview(pages.plain, app, model.name, false)
  const figures: ModelFigures = { label: model.label, isolated, plain, node1: [], nodeThreads: [] }
  for (let round = 0; round < rounds; round++) {
    for (const [mode, page] of [[isolated, pages.isolated], [plain, pages.plain]] as const) {
      const shown = await shownLatency(page, png)
      mode.shownMs.push(shown.p50Ms)
      mode.shownCreate ||= shown.create
      mode.steady.push(await timeInPage(page, model.bytes, feeds, runs))
    }
    figures.node1.push(await nodeTiming(model.bytes, feeds, 1))
    figures.nodeThreads.push(await nodeTiming(model.bytes, feeds, isolated.threadCount))
  }
  return figures
}

const ms = (t: Timing[]) => median(t.map((x) => x.p50Ms))
const range = (values: number[], digits = 2) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[0]!.toFixed(digits) === sorted.at(-1)!.toFixed(digits) ? sorted[0]!.toFixed(digits) : `${sorted[0]!.toFixed(digits)}–${sorted.at(-1)!.toFixed(digits)}`
}

function pageCell(p: PageFigures): string {
  return `${p.threads}: ${range(p.steady.map((t) => t.p50Ms))} ms per run; the page's own line ${range(p.shownMs)} ms (p50 of its 20 runs); first session ${p.shownCreate}`
}

function row(f: ModelFigures): string {
  const web = ms(f.isolated.steady)
  const ratio1 = web / ms(f.node1)
  const ratioN = web / ms(f.nodeThreads)
  const verdict = ratio1 <= target && ratioN <= target ? 'met' : ratio1 <= target ? `met against 1 thread, not against ${f.isolated.threadCount}` : 'not met'
  return [
    `| ${f.label}`,
    pageCell(f.isolated),
    `${pageCell(f.plain)}; speed-up from threads ${(ms(f.plain.steady) / web).toFixed(2)}×`,
    `onnxruntime-node, 1 thread: ${range(f.node1.map((t) => t.p50Ms))} ms (ratio ${ratio1.toFixed(2)}×); ${f.isolated.threadCount} threads: ${range(f.nodeThreads.map((t) => t.p50Ms))} ms (ratio ${ratioN.toFixed(2)}×)`,
    `≤ ${target}× (${verdict}) |`,
  ].join(' | ')
}

export async function benchPreview(): Promise<string> {
  ensureBuild()
  const trainer = new ModelTrainer()
  const app = await startAppServer({ LOG_LEVEL: 'warn' })
  const browser = await launchBrowser()
  try {
    const setup = await fetch(`${app.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
    const { token } = (await setup.json()) as { token: string }
    const trained = []
    for (const m of models) {
      const bytes = (await trainer.cnn(m.shape)).bytes
      await importModel(app, token, m.name, bytes)
      const shape = { imageSize: 16, filters: [4, 8], ...m.shape }
      trained.push({ name: m.name, bytes, label: `${m.name} (imageSize ${shape.imageSize}, filters [${shape.filters.join(', ')}], ${(bytes.byteLength / 1024).toFixed(0)} KB) on one ${imageHeight}×${imageWidth} image` })
    }
    const rgb = stripes()
    const png = await sharp(Buffer.from(rgb), { raw: { width: imageWidth, height: imageHeight, channels: 3 } }).png().toBuffer()
    const feeds: Record<string, RawTensor> = { image: { type: 'uint8', data: rgb, dims: [1, imageHeight, imageWidth, 3] } }
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
    const pages = { isolated: await context.newPage(), plain: await context.newPage() }
    pages.isolated.setDefaultTimeout(120_000)
    pages.plain.setDefaultTimeout(120_000)
    await signIn(pages.isolated, app.url, owner)
    const cores = await pages.isolated.evaluate(() => navigator.hardwareConcurrency)
    const loadBefore = os.loadavg()
    const figures: ModelFigures[] = []
    for (const model of trained) figures.push(await measureModel(pages, app, model, png, feeds))
    const loadAfter = os.loadavg()
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ')
    return [
      `Browser preview (production build, Chromium, navigator.hardwareConcurrency ${cores}, os.cpus() ${os.cpus().length}): p50 of ${runs} steady runs after 20 warm-up runs, timed in the preview page with its own onnxruntime-web; ${rounds} interleaved rounds (ranges over rounds; ratios of their medians); load average (1 / 5 / 15 min) ${load(loadBefore)} before, ${load(loadAfter)} after`,
      '| model | Pipewright: the preview page, cross-origin isolated | the same page without COEP, same run | reference, same run | target |',
      '| --- | --- | --- | --- | --- |',
      ...figures.map(row),
    ].join('\n')
  } finally {
    await browser.close()
    await app.stop()
    await trainer.cleanup()
  }
}
