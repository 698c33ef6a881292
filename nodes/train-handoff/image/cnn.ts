// Trains the built-in image classifier: a small CNN (conv3×3 + relu + maxpool per layer, then a
// dense softmax) on the TensorFlow.js WASM backend with Adam. Takes and predicts on NCHW float32
// `features` — the head's input contract — and trains in NHWC inside. Deterministic: the same
// data, config and seed give the same weights (seeded init, seeded shuffle, single-threaded WASM).
import * as tf from '@tensorflow/tfjs'
import { z } from 'zod'
import { createRng, type Rng } from '@/nodes/_lib/images/rng'
import { useWasmBackend } from './backend'
import { disposeParams, initParams, logits, trainableVariables, type CnnParams, type CnnShape } from './cnn-graph'

export const cnnConfigSchema = z.object({
  /** @defaultValue [8, 16] — filters of each conv3×3 layer */
  filters: z.array(z.number().int().min(1).max(256)).min(1).max(6).default([8, 16]),
  epochs: z.number().int().min(1).max(1000).default(20),
  batchSize: z.number().int().min(1).max(4096).default(32),
  learningRate: z.number().positive().max(1).default(0.003),
  /** epochs without a better validation loss before training stops; the best epoch's weights are kept */
  patience: z.number().int().min(1).max(1000).default(5),
  seed: z.number().int().default(1),
})
export type CnnConfig = z.infer<typeof cnnConfigSchema>

/** Images as the head sees them: `features` float32 [count, 3, height, width], normalised. */
export interface ImageTensorSet {
  features: Float32Array
  labels: Int32Array
  count: number
}

export interface CnnProgress {
  step: number
  train_loss: number
  val_loss?: number
  val_accuracy?: number
}

export interface TrainedCnn {
  shape: CnnShape
  params: CnnParams
  curve: CnnProgress[]
  /** 1-based epoch whose weights were kept */
  bestEpoch: number
}

export interface TrainCnnOptions {
  height: number
  width: number
  classes: number
  config: CnnConfig
  validation?: ImageTensorSet
  onEpoch?: (progress: CnnProgress) => void
  signal?: AbortSignal
}

function toNhwc(set: ImageTensorSet, height: number, width: number): tf.Tensor4D {
  if (set.features.length !== set.count * 3 * height * width) {
    throw new Error(`features hold ${set.features.length} values, expected ${set.count}×3×${height}×${width}`)
  }
  return tf.tidy(() => tf.transpose(tf.tensor4d(set.features, [set.count, 3, height, width]), [0, 2, 3, 1]))
}

function shuffled(count: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i)
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(0, i)
    const t = order[i]!
    order[i] = order[j]!
    order[j] = t
  }
  return order
}

// wasm ops are synchronous; yielding lets an abort (a timer, a queue message) land between batches
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

function snapshot(params: CnnParams): tf.Tensor[] {
  return trainableVariables(params).map((v) => tf.clone(v))
}

function restore(params: CnnParams, saved: readonly tf.Tensor[]): void {
  trainableVariables(params).forEach((v, i) => v.assign(saved[i]!))
}

/** mean cross-entropy and accuracy on a held-out set, in batches */
function evaluate(params: CnnParams, x: tf.Tensor4D, labels: Int32Array, classes: number): { loss: number; accuracy: number } {
  let lossSum = 0
  let correct = 0
  const n = x.shape[0]
  for (let start = 0; start < n; start += 256) {
    const size = Math.min(256, n - start)
    const [loss, hits] = tf.tidy(() => {
      const out = logits(params, tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]))
      const y = tf.oneHot(tf.tensor1d(labels.subarray(start, start + size), 'int32'), classes)
      const l = tf.sum(tf.losses.softmaxCrossEntropy(y, out, undefined, undefined, tf.Reduction.NONE))
      return [l.dataSync()[0]!, tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), tf.argMax(y, 1)), 'float32')).dataSync()[0]!]
    })
    lossSum += loss
    correct += hits
  }
  return { loss: lossSum / n, accuracy: correct / n }
}

export async function trainCnn(train: ImageTensorSet, options: TrainCnnOptions): Promise<TrainedCnn> {
  await useWasmBackend()
  const { config, height, width, classes, signal } = options
  const shape: CnnShape = { height, width, filters: config.filters, classes }
  const params = initParams(shape, config.seed)
  const variables = trainableVariables(params)
  const optimizer = tf.train.adam(config.learningRate)
  const x = toNhwc(train, height, width)
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), classes))
  const validation = options.validation
  const xVal = validation ? toNhwc(validation, height, width) : undefined
  const rng = createRng(config.seed).fork('shuffle')
  const curve: CnnProgress[] = []
  let best: { loss: number; epoch: number; weights: tf.Tensor[] } | undefined
  let kept = false
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const order = shuffled(train.count, rng)
      let lossSum = 0
      for (let start = 0; start < train.count; start += config.batchSize) {
        await yieldToEventLoop()
        signal?.throwIfAborted()
        const batch = order.subarray(start, start + config.batchSize)
        const loss = tf.tidy(() => {
          const index = tf.tensor1d(batch, 'int32')
          const xb = tf.gather(x, index)
          const yb = tf.gather(y, index)
          const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, logits(params, xb)), true, variables)
          return cost ? cost.dataSync()[0]! : Number.NaN
        })
        lossSum += loss * batch.length
      }
      const progress: CnnProgress = { step: epoch, train_loss: lossSum / train.count }
      if (xVal && validation) {
        const v = evaluate(params, xVal, validation.labels, classes)
        progress.val_loss = v.loss
        progress.val_accuracy = v.accuracy
      }
      curve.push(progress)
      options.onEpoch?.(progress)
      const score = progress.val_loss ?? progress.train_loss
      if (!best || score < best.loss) {
        best?.weights.forEach((t) => t.dispose())
        best = { loss: score, epoch, weights: snapshot(params) }
      } else if (xVal && epoch - best.epoch >= config.patience) break
    }
    if (best) restore(params, best.weights)
    kept = true
    return { shape, params, curve, bestEpoch: best?.epoch ?? 0 }
  } finally {
    best?.weights.forEach((t) => t.dispose())
    tf.dispose([x, y, ...(xVal ? [xVal] : [])])
    optimizer.dispose()
    if (!kept) disposeParams(params)
  }
}

/** class probabilities [count, K] row-major, for NCHW `features` */
export function predictCnn(model: TrainedCnn, features: Float32Array, count: number): Float32Array {
  const { height, width, classes } = model.shape
  const out = new Float32Array(count * classes)
  const x = toNhwc({ features, labels: new Int32Array(0), count }, height, width)
  try {
    for (let start = 0; start < count; start += 256) {
      const size = Math.min(256, count - start)
      const probs = tf.tidy(() => tf.softmax(logits(model.params, tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]))).dataSync())
      out.set(probs, start * classes)
    }
  } finally {
    x.dispose()
  }
  return out
}

export function disposeCnn(model: TrainedCnn): void {
  disposeParams(model.params)
}
