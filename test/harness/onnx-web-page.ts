// A page of its own with onnxruntime-web loaded, in real Chromium: a throwaway node:http server
// serves one HTML page and onnxruntime-web's dist folder (the ESM wasm build, its .mjs glue and
// .wasm), so no app server is needed. Models and inputs cross into the page as base64; outputs
// come back as plain arrays (float32 values are exact as JavaScript numbers).
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { RawTensor, RunOutputs } from '@/nodes/train-handoff/onnx/test-runtimes'
import { launchBrowser } from './browser'

const distDir = path.resolve('node_modules/onnxruntime-web/dist')
// the wasm-only ESM build: what a browser preview needs, nothing for WebGL or WebGPU
const ortModule = 'ort.wasm.min.mjs'

const page = `<!doctype html><html><head><meta charset="utf-8"><title>onnxruntime-web parity</title></head><body>
<script type="module">
  import * as ort from '/ort/${ortModule}'
  // one thread: no SharedArrayBuffer (no cross-origin isolation here) and the same numbers as the Node tests
  ort.env.wasm.numThreads = 1
  ort.env.wasm.wasmPaths = '/ort/'
  window.ort = ort
  window.ortReady = true
</script></body></html>`

const mediaTypes: Record<string, string> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' }

function serve(request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://localhost')
  if (url.pathname === '/') {
    response.writeHead(200, { 'content-type': 'text/html' }).end(page)
    return
  }
  const name = url.pathname.startsWith('/ort/') ? path.basename(url.pathname) : ''
  const file = path.join(distDir, name)
  if (!name || !fs.existsSync(file)) {
    response.writeHead(404).end()
    return
  }
  response.writeHead(200, { 'content-type': mediaTypes[path.extname(file)] ?? 'application/octet-stream' })
  fs.createReadStream(file).pipe(response)
}

export interface WebRuntimePage {
  /** the version the page's onnxruntime-web reports */
  version: string
  run(bytes: Uint8Array, inputs: Record<string, RawTensor>): Promise<RunOutputs>
  /** every URL the page asked for, to show which files onnxruntime-web really loaded */
  requested: string[]
  close(): Promise<void>
}

export async function openWebRuntimePage(): Promise<WebRuntimePage> {
  const server = http.createServer(serve)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  let browser: Browser | undefined
  try {
    browser = await launchBrowser()
    const tab = await browser.newPage()
    const requested: string[] = []
    const errors: string[] = []
    tab.on('request', (r) => requested.push(new URL(r.url()).pathname))
    tab.on('pageerror', (e) => errors.push(e.message))
    await tab.goto(origin)
    await tab.waitForFunction(() => (window as unknown as { ortReady?: boolean }).ortReady === true, undefined, { timeout: 20_000 }).catch((e: Error) => {
      throw new Error(`onnxruntime-web did not load in the page: ${errors.join('; ') || e.message}`)
    })
    const version = await tab.evaluate(() => (window as unknown as { ort: { env: { versions: { web: string } } } }).ort.env.versions.web)
    const opened = browser
    return {
      version,
      requested,
      run: (bytes, inputs) => runInPage(tab, bytes, inputs),
      close: async () => {
        await opened.close()
        await new Promise((resolve) => server.close(resolve))
      },
    }
  } catch (error) {
    await browser?.close()
    server.close()
    throw error
  }
}

type WireTensor = { type: 'float32' | 'uint8'; base64: string; dims: number[] } | { type: 'string'; data: string[]; dims: number[] }
type WireOutput = { kind: 'float32' | 'string' | 'other'; type: string; data: (number | string)[]; dims: number[] }

const base64 = (data: Float32Array | Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')

function toWire(t: RawTensor): WireTensor {
  return t.type === 'string' ? { type: 'string', data: t.data, dims: [...t.dims] } : { type: t.type, base64: base64(t.data), dims: [...t.dims] }
}

async function runInPage(tab: Page, bytes: Uint8Array, inputs: Record<string, RawTensor>): Promise<RunOutputs> {
  const wire = { model: base64(bytes), feeds: Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, toWire(t)])) }
  const result = await tab.evaluate(inPage, wire)
  if ('error' in result) throw new Error(`onnxruntime-web in Chromium: ${result.error}`)
  const out: RunOutputs = {}
  for (const [name, t] of Object.entries(result.outputs)) {
    if (t.kind === 'other') throw new Error(`output ${name}: unexpected ${t.type} data in the browser`)
    out[name] = { data: t.kind === 'float32' ? Float32Array.from(t.data as number[]) : (t.data as string[]), dims: t.dims }
  }
  return out
}

/** Runs inside the page: it can use nothing from this module's scope. */
async function inPage(wire: { model: string; feeds: Record<string, WireTensor> }): Promise<{ outputs: Record<string, WireOutput> } | { error: string }> {
  type Ort = typeof import('onnxruntime-web')
  const ort = (window as unknown as { ort: Ort }).ort
  const bytesOf = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
  try {
    const session = await ort.InferenceSession.create(bytesOf(wire.model), { executionProviders: ['wasm'] })
    const feeds: Record<string, InstanceType<Ort['Tensor']>> = {}
    for (const [name, t] of Object.entries(wire.feeds)) {
      if (t.type === 'string') feeds[name] = new ort.Tensor('string', t.data, t.dims)
      else if (t.type === 'float32') feeds[name] = new ort.Tensor('float32', new Float32Array(bytesOf(t.base64).buffer), t.dims)
      else feeds[name] = new ort.Tensor('uint8', bytesOf(t.base64), t.dims)
    }
    const results = await session.run(feeds)
    const outputs: Record<string, WireOutput> = {}
    for (const [name, t] of Object.entries(results)) {
      const data = t.data as unknown
      const dims = [...t.dims]
      if (data instanceof Float32Array) outputs[name] = { kind: 'float32', type: t.type, data: Array.from(data), dims }
      else if (Array.isArray(data)) outputs[name] = { kind: 'string', type: t.type, data: data.map(String), dims }
      else outputs[name] = { kind: 'other', type: t.type, data: [], dims }
    }
    await session.release()
    return { outputs }
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
  }
}

/**
 * How long a page whose `window.ort` is onnxruntime-web takes to create a session, and the median of
 * `runs` steady runs after a warm-up, in ms (the benchmark times the app's preview page with it).
 */
export async function timeInPage(tab: Page, bytes: Uint8Array, inputs: Record<string, RawTensor>, runs: number): Promise<{ createMs: number; p50Ms: number }> {
  const wire = { model: base64(bytes), feeds: Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, toWire(t)])), runs }
  const result = await tab.evaluate(timedInPage, wire)
  if ('error' in result) throw new Error(`onnxruntime-web in Chromium: ${result.error}`)
  return result
}

/** Runs inside the page: the clock is the page's own, so nothing of the page's wiring is counted. */
async function timedInPage(wire: { model: string; feeds: Record<string, WireTensor>; runs: number }): Promise<{ createMs: number; p50Ms: number } | { error: string }> {
  type Ort = typeof import('onnxruntime-web')
  const ort = (window as unknown as { ort: Ort }).ort
  // no named inner functions: tsx (the bench's loader) would wrap them in a helper the page lacks
  try {
    const model = Uint8Array.from(atob(wire.model), (c) => c.charCodeAt(0))
    const createStarted = performance.now()
    const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] })
    const createMs = performance.now() - createStarted
    const feeds: Record<string, InstanceType<Ort['Tensor']>> = {}
    for (const [name, t] of Object.entries(wire.feeds)) {
      if (t.type === 'string') feeds[name] = new ort.Tensor('string', t.data, t.dims)
      else if (t.type === 'float32') feeds[name] = new ort.Tensor('float32', new Float32Array(Uint8Array.from(atob(t.base64), (c) => c.charCodeAt(0)).buffer), t.dims)
      else feeds[name] = new ort.Tensor('uint8', Uint8Array.from(atob(t.base64), (c) => c.charCodeAt(0)), t.dims)
    }
    for (let i = 0; i < 20; i++) await session.run(feeds)
    const times: number[] = []
    for (let i = 0; i < wire.runs; i++) {
      const started = performance.now()
      await session.run(feeds)
      times.push(performance.now() - started)
    }
    await session.release()
    times.sort((a, b) => a - b)
    return { createMs, p50Ms: times[Math.floor(times.length / 2)]! }
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
  }
}
