// Serving throughput and latency: the product's trained CNN (raw uint8 images, resize and
// normalisation inside the graph) answering one-image requests at concurrency 1, 8 and 32 through
// ServedModel (2 worker threads, micro-batching at its defaults), beside raw onnxruntime-node
// `session.run` in this one thread on the same model and requests (one intra-op thread, as each
// served session has), measured in the same run. Latency is the caller's: from the call to its answer.
import { performance } from 'node:perf_hooks'
import ort from 'onnxruntime-node'
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import { inThisThread, type Feeds, type Outputs, type TensorData } from '@/nodes/_lib/models/session-thread/session-thread'
import { ServedModel } from '@/server/serving/runtime/served-model'
import { ModelTrainer } from '../harness/trained-models'

const concurrencies = [1, 8, 32]
const secondsPerLevel = 1.5

interface Level {
  concurrency: number
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
}

type Infer = (feeds: Feeds) => Promise<Outputs>

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
}

/** `concurrency` callers, each sending its next request when its last is answered, for a fixed time. */
async function measure(infer: Infer, requests: Feeds[], concurrency: number): Promise<Level> {
  const latencies: number[] = []
  let next = 0
  const started = performance.now()
  const until = started + secondsPerLevel * 1000
  async function caller() {
    while (performance.now() < until) {
      const feeds = requests[next++ % requests.length]!
      const sent = performance.now()
      await infer(feeds)
      latencies.push(performance.now() - sent)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, caller))
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return { concurrency, requestsPerSecond: latencies.length / elapsed, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) }
}

async function warmUp(infer: Infer, requests: Feeds[]): Promise<void> {
  for (let i = 0; i < 200; i++) await infer(requests[i % requests.length]!)
}

/** One image per request, cut from the harness's batches. */
function oneImageRequests(batches: Feeds[]): Feeds[] {
  const requests: Feeds[] = []
  for (const batch of batches) {
    const image = batch.image!
    const [rows, height, width] = image.dims as [number, number, number, number]
    const perRow = height * width * 3
    for (let r = 0; r < rows; r++) {
      requests.push({ image: { type: 'uint8', data: (image.data as Uint8Array).slice(r * perRow, (r + 1) * perRow) as TensorData['data'], dims: [1, height, width, 3] } })
    }
  }
  return requests
}

function describeLevels(levels: Level[]): string {
  return levels
    .map((l) => `c=${l.concurrency}: ${Math.round(l.requestsPerSecond).toLocaleString('en')} req/s, p50 ${l.p50Ms.toFixed(2)} ms, p99 ${l.p99Ms.toFixed(2)} ms`)
    .join('; ')
}

export async function benchServingRuntime(): Promise<{ benchmark: string; product: string; reference: string; target: string }> {
  const trainer = new ModelTrainer()
  try {
    const trained = await trainer.cnn()
    const metadata = readModelMetadata(trained.bytes)!
    // the 6 images of 45×30 only: requests of one size, as one camera sends them
    const requests = oneImageRequests([trained.batches[0] as Feeds])
    const served = await ServedModel.open({ bytes: trained.bytes, metadata, options: { threads: 2 } })
    const session = await ort.InferenceSession.create(trained.bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 })
    const raw = inThisThread(session)
    const product: Level[] = []
    const reference: Level[] = []
    try {
      const viaServed: Infer = async (feeds) => (await served.infer(feeds)).outputs
      const viaSession: Infer = (feeds) => raw.run(feeds)
      await warmUp(viaServed, requests)
      await warmUp(viaSession, requests)
      for (const concurrency of concurrencies) {
        product.push(await measure(viaServed, requests, concurrency))
        reference.push(await measure(viaSession, requests, concurrency))
      }
      const stats = served.stats()
      const ratios = product.map((p, i) => `${(p.requestsPerSecond / reference[i]!.requestsPerSecond).toFixed(2)}× at c=${p.concurrency}`).join(', ')
      return {
        benchmark: `Serving the trained CNN (raw uint8 45×30 RGB, one image per request) at concurrency ${concurrencies.join(', ')}, ${secondsPerLevel} s each`,
        product: `${describeLevels(product)} (ServedModel: 2 worker threads, maxBatch 32, maxWaitMs 2; ${stats.requests.toLocaleString('en')} requests in ${stats.runs.toLocaleString('en')} session calls)`,
        reference: `${describeLevels(reference)} (raw onnxruntime-node session.run in this thread, 1 intra-op thread); throughput ratio ${ratios}`,
        target: 'throughput ≥ 1× raw session.run at c=8 and c=32; p50 at c=1 ≤ raw + 1 ms (the worker-thread hop)',
      }
    } finally {
      await served.close()
      await raw.release()
    }
  } finally {
    await trainer.cleanup()
  }
}
