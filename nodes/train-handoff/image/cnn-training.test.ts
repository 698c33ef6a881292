import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { cnnConfigSchema, disposeCnn, trainCnn, type CnnProgress } from './cnn'
import { trainableVariables } from './cnn-graph'
import { renderShapes } from './test-shapes'

const size = 16
const data = renderShapes(96, size, 5)
const options = (config: Partial<ReturnType<typeof cnnConfigSchema.parse>>) => ({
  height: size,
  width: size,
  classes: 3,
  config: cnnConfigSchema.parse({ epochs: 2, batchSize: 16, ...config }),
})

async function weightsOf(seed: number): Promise<number[]> {
  const model = await trainCnn(data, options({ seed }))
  const values = trainableVariables(model.params).flatMap((v) => [...v.dataSync()])
  disposeCnn(model)
  return values
}

describe('training the CNN', () => {
  it('gives the same weights for the same data and seed, other weights for another seed', async () => {
    const first = await weightsOf(7)
    expect(await weightsOf(7)).toEqual(first)
    expect(await weightsOf(8)).not.toEqual(first)
  })

  it('stops within a second of a cancel and leaks no tensors', async () => {
    const before = tf.memory().numTensors
    const controller = new AbortController()
    const big = renderShapes(2000, 28, 9)
    const started = performance.now()
    setTimeout(() => controller.abort(new Error('cancelled by test')), 300)
    await expect(trainCnn(big, { ...options({ epochs: 50 }), height: 28, width: 28, signal: controller.signal })).rejects.toThrow('cancelled by test')
    expect(performance.now() - started).toBeLessThan(1300)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('stops early when the validation loss stops improving and keeps the best epoch', async () => {
    const seen: CnnProgress[] = []
    // labels unrelated to the images: validation loss cannot keep improving
    const noise = { ...renderShapes(48, size, 11), labels: Int32Array.from({ length: 48 }, (_, i) => (i * 7) % 3) }
    const model = await trainCnn(data, { ...options({ epochs: 40, patience: 2, learningRate: 0.01 }), validation: noise, onEpoch: (p) => seen.push(p) })
    disposeCnn(model)
    expect(seen.length).toBeLessThan(40)
    expect(seen.length - model.bestEpoch).toBe(2)
    const bestLoss = Math.min(...seen.map((p) => p.val_loss!))
    expect(seen[model.bestEpoch - 1]!.val_loss).toBe(bestLoss)
  })

  it('refuses features of the wrong length', async () => {
    await expect(trainCnn({ ...data, count: 95 }, options({}))).rejects.toThrow(/expected 95×3×16×16/)
  })
})
