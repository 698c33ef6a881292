// onnxruntime-web in the page: loaded on first use from the app's own /ort/ (copied there by
// scripts/copy-ort.mjs), never bundled and never at module top, so server rendering never
// touches it. Client-only.
import type * as OrtModule from 'onnxruntime-web'
import type { OutputTensor } from './answer'
import { median } from './answer'
import type { FeedTensor } from './feeds'
import { wantedThreads, type ThreadMode } from './threads'

type Ort = typeof OrtModule
export type Session = OrtModule.InferenceSession

/** the wasm-only ESM build: no WebGL or WebGPU code to download */
const ortModuleUrl = '/ort/ort.wasm.min.mjs'

let loading: Promise<Ort> | undefined

export function loadOrt(): Promise<Ort> {
  loading ??= (async () => {
    // a URL the browser resolves, not a module the bundler resolves (so typed by hand)
    const url: string = ortModuleUrl
    const ort = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ url)) as Ort
    ort.env.wasm.wasmPaths = '/ort/'
    ort.env.wasm.numThreads = wantedThreads(globalThis.crossOriginIsolated === true, navigator.hardwareConcurrency)
    return ort
  })()
  loading.catch(() => (loading = undefined))
  return loading
}

export async function createSession(bytes: ArrayBuffer): Promise<{ session: Session; createMs: number; mode: ThreadMode }> {
  const ort = await loadOrt()
  const started = performance.now()
  const session = await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' })
  const createMs = performance.now() - started
  // read back after the first session: onnxruntime-web lowers numThreads to 1 when threads cannot start
  const mode = { threads: ort.env.wasm.numThreads ?? 1, isolated: globalThis.crossOriginIsolated === true, cores: navigator.hardwareConcurrency || 1 }
  return { session, createMs, mode }
}

async function ortFeeds(feeds: Record<string, FeedTensor>): Promise<Record<string, OrtModule.Tensor>> {
  const ort = await loadOrt()
  const out: Record<string, OrtModule.Tensor> = {}
  for (const [name, t] of Object.entries(feeds)) {
    // onnxruntime-web's overloads take each data type with its own tag
    out[name] = new ort.Tensor(t.type, t.data as never, t.dims)
  }
  return out
}

function plainOutputs(results: OrtModule.InferenceSession.OnnxValueMapType): Record<string, OutputTensor> {
  const out: Record<string, OutputTensor> = {}
  for (const [name, value] of Object.entries(results)) {
    const tensor = value as OrtModule.Tensor
    out[name] = { type: tensor.type, data: tensor.data as OutputTensor['data'], dims: [...tensor.dims] }
  }
  return out
}

export async function runOnce(session: Session, feeds: Record<string, FeedTensor>): Promise<Record<string, OutputTensor>> {
  return plainOutputs(await session.run(await ortFeeds(feeds)))
}

/** The p50 of `runs` calls on the same input, yielding to the page between calls so it stays responsive. */
export async function measureRuns(session: Session, feeds: Record<string, FeedTensor>, runs = 20): Promise<number> {
  const tensors = await ortFeeds(feeds)
  const timings: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await session.run(tensors)
    timings.push(performance.now() - started)
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  return median(timings)
}
