// The built-in image classifier's training speed: seconds per epoch of the default CNN
// (conv3×3(8)+pool, conv3×3(16)+pool, dense) on generated shapes, 1,200 images of 28×28 and
// 2,000 of 64×64, on the WASM backend with im2col convolution. Reference: plain TensorFlow.js on
// its CPU backend with tf.conv2d — the same architecture, batch size and Adam, written the way
// the library offers it (the WASM backend cannot train tf.conv2d: no Conv2DBackpropFilter).
import { performance } from 'node:perf_hooks'
import * as tf from '@tensorflow/tfjs'
import { cnnConfigSchema, disposeCnn, trainCnn } from '@/nodes/train-handoff/image/cnn'
import { renderShapes } from '@/nodes/train-handoff/image/test-shapes'

const epochs = 2

async function productSecondsPerEpoch(count: number, size: number): Promise<number> {
  const data = renderShapes(count, size, 1)
  const stamps: number[] = []
  const started = performance.now()
  const model = await trainCnn(data, {
    height: size,
    width: size,
    classes: 3,
    config: cnnConfigSchema.parse({ epochs, batchSize: 32 }),
    onEpoch: () => stamps.push(performance.now()),
  })
  disposeCnn(model)
  // the last epoch alone: the first includes the backend's start and kernel warm-up
  return ((stamps.at(-1)! - (stamps.at(-2) ?? started)) / 1000)
}

async function cpuConv2dSecondsPerEpoch(count: number, size: number): Promise<number> {
  const previous = tf.getBackend()
  await tf.setBackend('cpu')
  try {
    const data = renderShapes(count, size, 1)
    const x = tf.tidy(() => tf.transpose(tf.tensor4d(data.features, [count, 3, size, size]), [0, 2, 3, 1]))
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(data.labels, 'int32'), 3))
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [size, size, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    })
    model.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy' })
    const started = performance.now()
    await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: true, verbose: 0 })
    const seconds = (performance.now() - started) / 1000
    model.dispose()
    tf.dispose([x, y])
    return seconds
  } finally {
    if (previous) await tf.setBackend(previous)
  }
}

export async function benchCnn() {
  process.stdout.write('  training the CNN on 1,200 images of 28×28 and 2,000 of 64×64 …\n')
  const small = await productSecondsPerEpoch(1200, 28)
  const large = await productSecondsPerEpoch(2000, 64)
  process.stdout.write('  reference: tfjs cpu backend, tf.conv2d, one epoch of 1,200 images of 28×28 …\n')
  const reference = await cpuConv2dSecondsPerEpoch(1200, 28)
  return {
    benchmark: 'CNN training (conv3×3 8 + 16 filters, maxpool, dense softmax; Adam, batch 32), seconds per epoch',
    product: `${small.toFixed(2)} s/epoch on 1,200 images of 28×28; ${large.toFixed(2)} s/epoch on 2,000 of 64×64 (WASM backend, im2col + matMul)`,
    reference: `${reference.toFixed(2)} s/epoch on 1,200 images of 28×28 (plain tfjs layers, cpu backend, tf.conv2d)`,
    target: '≤ 5 s/epoch on 1,200 images of 28×28',
  }
}
