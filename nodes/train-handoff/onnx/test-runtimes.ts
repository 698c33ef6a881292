// Test support: one model run in onnxruntime-node and in onnxruntime-web (its wasm backend, which
// runs in Node too: the wasm files load from node_modules/onnxruntime-web/dist beside its .mjs).
import ortNode from 'onnxruntime-node'
import * as ortWeb from 'onnxruntime-web'
import { seededRandom } from '../tabular/random'

export type RawTensor = { type: 'float32'; data: Float32Array; dims: readonly number[] } | { type: 'string'; data: string[]; dims: readonly number[] } | { type: 'uint8'; data: Uint8Array; dims: readonly number[] }

export type RunOutputs = Record<string, { data: Float32Array | string[]; dims: readonly number[] }>

export const runtimes = ['onnxruntime-node', 'onnxruntime-web'] as const
export type Runtime = (typeof runtimes)[number]

// a single thread: no worker start-up on a loaded machine, and the same numbers either way
ortWeb.env.wasm.numThreads = 1

export async function runModel(runtime: Runtime, bytes: Uint8Array, inputs: Record<string, RawTensor>): Promise<RunOutputs> {
  return runtime === 'onnxruntime-node' ? runNode(bytes, inputs) : runWeb(bytes, inputs)
}

async function runNode(bytes: Uint8Array, inputs: Record<string, RawTensor>): Promise<RunOutputs> {
  const session = await ortNode.InferenceSession.create(bytes)
  const feeds: Record<string, ortNode.Tensor> = {}
  for (const [name, t] of Object.entries(inputs)) feeds[name] = new ortNode.Tensor(t.type, t.data, t.dims)
  const result = await session.run(feeds)
  await session.release()
  return readOutputs(result)
}

async function runWeb(bytes: Uint8Array, inputs: Record<string, RawTensor>): Promise<RunOutputs> {
  const session = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] })
  const feeds: Record<string, ortWeb.Tensor> = {}
  for (const [name, t] of Object.entries(inputs)) feeds[name] = new ortWeb.Tensor(t.type, t.data, t.dims)
  const result = await session.run(feeds)
  await session.release()
  return readOutputs(result)
}

function readOutputs(result: Record<string, { data: unknown; dims: readonly number[] }>): RunOutputs {
  const out: RunOutputs = {}
  for (const [name, t] of Object.entries(result)) {
    const data = t.data
    if (data instanceof Float32Array) out[name] = { data, dims: t.dims }
    else if (Array.isArray(data)) out[name] = { data: data.map(String), dims: t.dims }
    else throw new Error(`output ${name}: unexpected data type`)
  }
  return out
}

export function floats(outputs: RunOutputs, name: string): Float32Array {
  const data = outputs[name]?.data
  if (!(data instanceof Float32Array)) throw new Error(`output ${name} is not float32`)
  return data
}

export function strings(outputs: RunOutputs, name: string): string[] {
  const data = outputs[name]?.data
  if (!Array.isArray(data)) throw new Error(`output ${name} is not string`)
  return data
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`)
  let max = 0
  for (let i = 0; i < a.length; i += 1) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)))
  return max
}

/** A seeded generator, so test data is the same every run. */
export const seeded = seededRandom
