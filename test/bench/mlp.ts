// Tabular training speed: the built-in MLP classifier (20 → 64 → 3, Adam, batch 128) on
// 100,000 × 20 rows through trainInWorker (a worker thread, TensorFlow.js on WASM), beside
// TensorFlow.js alone in this thread (tf.layers + model.fit, same backend, same layer sizes,
// batch, optimiser and epochs, on tensors of the same arrays). Seconds per epoch, medians.
import { performance } from 'node:perf_hooks'
import * as tf from '@tensorflow/tfjs'
import { ensureBackend } from '@/nodes/train-handoff/tabular/backend'
import { blobs } from '@/nodes/train-handoff/tabular/synthetic'
import { trainInWorker } from '@/nodes/train-handoff/worker/train-in-worker'

const rows = 100_000
const f = 20
const classes = 3
const hidden = 64
const batchSize = 128
const learningRate = 0.01

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** Per-epoch seconds from the progress events (the first epoch is timed from the call). */
async function product(features: Float32Array, targets: Int32Array, epochs: number): Promise<{ perEpoch: number[]; total: number }> {
  const started = performance.now()
  const stamps: number[] = []
  await trainInWorker(
    { algorithm: 'mlp-classifier', featureCount: f, classes, train: { features: features.slice(), targets: targets.slice() }, params: { hiddenLayers: [hidden], epochs, batchSize, learningRate } },
    { onProgress: () => stamps.push(performance.now()) },
  )
  const total = (performance.now() - started) / 1000
  return { perEpoch: stamps.slice(1).map((t, i) => (t - stamps[i]!) / 1000), total }
}

async function reference(features: Float32Array, targets: Int32Array, epochs: number): Promise<number[]> {
  await ensureBackend()
  const x = tf.tensor2d(features, [rows, f])
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(targets, 'int32'), classes).toFloat())
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [f], units: hidden, activation: 'relu' }), tf.layers.dense({ units: classes, activation: 'softmax' })],
  })
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy' })
  const times: number[] = []
  let epochStart = 0
  try {
    await model.fit(x, y, {
      epochs,
      batchSize,
      shuffle: true,
      verbose: 0,
      callbacks: { onEpochBegin: async () => void (epochStart = performance.now()), onEpochEnd: async () => void times.push((performance.now() - epochStart) / 1000) },
    })
  } finally {
    tf.dispose([x, y])
    model.dispose()
  }
  return times
}

export async function benchMlp(epochs = Number(process.env.BENCH_MLP_EPOCHS ?? 4)) {
  const { features, targets } = blobs(rows, f, classes, 13)
  // alternate the two so the machine's load falls on both alike; the first epoch of each run
  // (worker start, JIT) is left out of the per-epoch figure
  const ours: number[] = []
  const totals: number[] = []
  const alone: number[] = []
  for (let round = 0; round < 2; round++) {
    const run = await product(features, targets, epochs)
    ours.push(...run.perEpoch)
    totals.push(run.total)
    alone.push(...(await reference(features, targets, epochs)).slice(1))
  }
  const ourEpoch = median(ours)
  const aloneEpoch = median(alone)
  return {
    benchmark: `MLP classifier 20 → 64 → 3 (ReLU, Adam, batch ${batchSize}) on ${rows.toLocaleString('en')} × ${f} rows, ${epochs} epochs`,
    product: `${ourEpoch.toFixed(2)} s/epoch (trainInWorker: worker thread, TensorFlow.js wasm, seeded shuffle; whole run ${median(totals).toFixed(1)} s for ${epochs} epochs incl. worker start)`,
    reference: `${aloneEpoch.toFixed(2)} s/epoch (TensorFlow.js alone, tf.layers model.fit in this thread, wasm); ratio ${(aloneEpoch / ourEpoch).toFixed(2)}× (medians)`,
    target: '≥ 0.8× of TensorFlow.js alone',
  }
}
