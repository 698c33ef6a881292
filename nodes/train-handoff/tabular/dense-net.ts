// A dense network trained with Adam on TensorFlow.js: the MLPs, and logistic regression as the
// network without hidden layers. The loop is our own rather than `model.fit`, so the order of rows
// (our seeded shuffle), the dropout seeds and the initial weights all come from one seed, and
// cancellation is checked between batches.
import * as tf from '@tensorflow/tfjs'
import { ensureBackend } from './backend'
import { accuracy, rSquared } from './metrics'
import type { EpochProgress, TrainOptions } from './params'
import { seededRandom, shuffleInPlace, uniformArray } from './random'

/** One fully connected layer: `weight` is [inputs × outputs] row-major, as ONNX Gemm's B. */
export interface DenseLayer {
  inputs: number
  outputs: number
  weight: Float32Array
  bias: Float32Array
}

/** Learned weights: ReLU between layers, then softmax (probabilities) or nothing (a value). */
export interface DenseWeights {
  layers: DenseLayer[]
  output: 'softmax' | 'identity'
}

export interface NetSpec {
  hiddenLayers: readonly number[]
  epochs: number
  batchSize: number
  learningRate: number
  l2: number
  dropout: number
  patience: number
  seed: number
}

/** Classes as indices [rows] (softmax), or values [rows] (identity). */
export type NetTargets = { kind: 'classes'; classes: number; values: Int32Array } | { kind: 'values'; values: Float32Array }
export interface NetSet {
  features: Float32Array
  targets: NetTargets
}

export interface NetResult {
  weights: DenseWeights
  curve: EpochProgress[]
  /** the epoch whose weights were kept (the best validation loss, or the last) */
  bestEpoch: number
}

interface Layer {
  w: tf.Variable
  b: tf.Variable
}

export class TrainingCanceled extends Error {
  constructor() {
    super('training canceled')
    this.name = 'AbortError'
  }
}

function initialLayers(sizes: readonly number[], random: () => number): Layer[] {
  return sizes.slice(1).map((outputs, i) => {
    const inputs = sizes[i]!
    // He uniform before a ReLU, Glorot uniform for the output layer
    const limit = i < sizes.length - 2 ? Math.sqrt(6 / inputs) : Math.sqrt(6 / (inputs + outputs))
    return {
      w: tf.variable(tf.tensor2d(uniformArray(inputs * outputs, limit, random), [inputs, outputs])),
      b: tf.variable(tf.zeros([outputs])),
    }
  })
}

/** Raw outputs (logits or standardised values). `dropoutSeed` given: training, with dropout. */
function forward(x: tf.Tensor, layers: readonly Layer[], dropout: number, dropoutSeed?: () => number): tf.Tensor {
  let h = x
  layers.forEach((layer, i) => {
    const hidden = i < layers.length - 1
    h = tf.fused.matMul({ a: h, b: layer.w, bias: layer.b, activation: hidden ? 'relu' : 'linear' })
    if (hidden && dropoutSeed && dropout > 0) h = tf.dropout(h, dropout, undefined, dropoutSeed())
  })
  return h
}

function targetTensor(targets: NetTargets, scale: { mean: number; std: number }): tf.Tensor2D {
  if (targets.kind === 'classes') return tf.oneHot(tf.tensor1d(targets.values, 'int32'), targets.classes).toFloat() as tf.Tensor2D
  const standard = targets.values.map((v) => (v - scale.mean) / scale.std)
  return tf.tensor2d(standard, [standard.length, 1])
}

/** Regression targets are standardised for training; the last layer is scaled back on export. */
function valueScale(targets: NetTargets): { mean: number; std: number } {
  if (targets.kind === 'classes') return { mean: 0, std: 1 }
  const n = targets.values.length
  let mean = 0
  for (const v of targets.values) mean += v / n
  let variance = 0
  for (const v of targets.values) variance += (v - mean) ** 2 / n
  return { mean, std: Math.sqrt(variance) || 1 }
}

function dataLoss(raw: tf.Tensor, y: tf.Tensor, kind: NetTargets['kind']): tf.Scalar {
  return kind === 'classes' ? tf.losses.softmaxCrossEntropy(y, raw) : tf.losses.meanSquaredError(y, raw)
}

function penalty(layers: readonly Layer[], l2: number): tf.Scalar {
  return tf.mul(l2 / 2, tf.addN(layers.map((l) => tf.sum(tf.square(l.w))))) as tf.Scalar
}

function snapshot(layers: readonly Layer[], scale: { mean: number; std: number }, output: DenseWeights['output']): DenseWeights {
  return {
    output,
    layers: layers.map((layer, i) => {
      const [inputs, outputs] = layer.w.shape as [number, number]
      const weight = Float32Array.from(layer.w.dataSync())
      const bias = Float32Array.from(layer.b.dataSync())
      if (i === layers.length - 1 && output === 'identity') {
        for (let j = 0; j < weight.length; j++) weight[j]! *= scale.std
        for (let j = 0; j < bias.length; j++) bias[j] = bias[j]! * scale.std + scale.mean
      }
      return { inputs, outputs, weight, bias }
    }),
  }
}

interface Evaluation {
  loss: number
  metric: number
}

function evaluate(set: NetSet, x: tf.Tensor2D, y: tf.Tensor2D, layers: readonly Layer[], scale: { mean: number; std: number }): Evaluation {
  const [loss, raw] = tf.tidy(() => {
    const out = forward(x, layers, 0)
    const scores = set.targets.kind === 'classes' ? tf.softmax(out) : tf.add(tf.mul(out, scale.std), scale.mean)
    return [dataLoss(out, y, set.targets.kind).dataSync()[0]!, scores.dataSync() as Float32Array]
  })
  const metric = set.targets.kind === 'classes' ? accuracy(raw, set.targets.values, set.targets.classes) : rSquared(raw, set.targets.values)
  // regression losses are reported in the target's own units, not the standardised ones
  return { loss: set.targets.kind === 'classes' ? loss : loss * scale.std ** 2, metric }
}

export async function trainDenseNet(train: NetSet, validation: NetSet | undefined, featureCount: number, spec: NetSpec, options: TrainOptions = {}): Promise<NetResult> {
  await ensureBackend(options.log)
  const random = seededRandom(spec.seed)
  const rows = train.targets.values.length
  const outputs = train.targets.kind === 'classes' ? train.targets.classes : 1
  const output = train.targets.kind === 'classes' ? 'softmax' : 'identity'
  const scale = valueScale(train.targets)
  const layers = initialLayers([featureCount, ...spec.hiddenLayers, outputs], random)
  const x = tf.tensor2d(train.features, [rows, featureCount])
  const y = targetTensor(train.targets, scale)
  const vx = validation && tf.tensor2d(validation.features, [validation.targets.values.length, featureCount])
  const vy = validation && targetTensor(validation.targets, scale)
  const optimizer = tf.train.adam(spec.learningRate)
  const variables = layers.flatMap((l) => [l.w, l.b])
  const dropoutSeed = () => Math.floor(random() * 2 ** 31)
  const order = Int32Array.from({ length: rows }, (_, i) => i)
  const curve: EpochProgress[] = []
  let best = { loss: Infinity, epoch: 0, weights: snapshot(layers, scale, output) }
  try {
    for (let epoch = 0; epoch < spec.epochs; epoch++) {
      shuffleInPlace(order, random)
      let total = 0
      for (let start = 0; start < rows; start += spec.batchSize) {
        if (options.signal?.aborted) throw new TrainingCanceled()
        const end = Math.min(rows, start + spec.batchSize)
        const index = tf.tensor1d(order.subarray(start, end), 'int32')
        // the batch is gathered outside the gradient tape: inside it, tfjs also back-propagates
        // into the whole feature matrix, which doubled the time per epoch
        const xb = tf.gather(x, index)
        const yb = tf.gather(y, index)
        let batchLoss: tf.Scalar | undefined
        const cost = optimizer.minimize(() => {
          const raw = forward(xb, layers, spec.dropout, dropoutSeed)
          batchLoss = tf.keep(dataLoss(raw, yb, train.targets.kind))
          return spec.l2 > 0 ? tf.add(batchLoss, penalty(layers, spec.l2)) : batchLoss.clone()
        }, false, variables)
        total += batchLoss!.dataSync()[0]! * (end - start)
        tf.dispose([index, xb, yb, batchLoss!, cost!])
      }
      const progress: EpochProgress = { step: epoch, train_loss: (total / rows) * scale.std ** 2 }
      if (validation && vx && vy) {
        const result = evaluate(validation, vx, vy, layers, scale)
        progress.val_loss = result.loss
        progress.val_metric = result.metric
        if (result.loss < best.loss) best = { loss: result.loss, epoch, weights: snapshot(layers, scale, output) }
      }
      curve.push(progress)
      options.onProgress?.(progress)
      if (validation && epoch - best.epoch >= spec.patience) break
    }
    // without a validation set the last weights are the model; with one, the best epoch's
    if (!validation) best = { loss: NaN, epoch: curve.length - 1, weights: snapshot(layers, scale, output) }
    return { weights: best.weights, curve, bestEpoch: best.epoch }
  } finally {
    tf.dispose([x, y, ...(vx ? [vx] : []), ...(vy ? [vy] : []), ...variables])
    optimizer.dispose()
  }
}

/** Scores of `features` [rows × F] under `weights` in TensorFlow.js: probabilities, or values [rows]. */
export async function predictDense(weights: DenseWeights, features: Float32Array, log?: (message: string) => void): Promise<Float32Array> {
  await ensureBackend(log)
  const first = weights.layers[0]!
  return tf.tidy(() => {
    let h: tf.Tensor = tf.tensor2d(features, [features.length / first.inputs, first.inputs])
    weights.layers.forEach((layer, i) => {
      const hidden = i < weights.layers.length - 1
      const w = tf.tensor2d(layer.weight, [layer.inputs, layer.outputs])
      h = tf.fused.matMul({ a: h, b: w, bias: tf.tensor1d(layer.bias), activation: hidden ? 'relu' : 'linear' })
    })
    return (weights.output === 'softmax' ? tf.softmax(h) : h).dataSync() as Float32Array
  })
}
