import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { predictDense } from './dense-net'
import { blobs, regression, ring, splitRows } from './synthetic'
import { trainTabular } from './train'
import type { EpochProgress } from './params'

describe('built-in tabular trainers', () => {
  it('logistic regression separates three Gaussian blobs (val accuracy ≥ 0.95) and reports each epoch', async () => {
    const [train, validation] = splitRows(blobs(3000, 4, 3, 7), 4, 2400)
    const seen: EpochProgress[] = []
    const result = await trainTabular({ algorithm: 'logistic-regression', featureCount: 4, classes: 3, train, validation, params: { epochs: 20 } }, { onProgress: (p) => seen.push(p) })
    expect(result.metrics.val_accuracy).toBeGreaterThanOrEqual(0.95)
    expect(seen.length).toBe(result.curve.length)
    expect(seen[0]).toMatchObject({ step: 0, train_loss: expect.any(Number), val_loss: expect.any(Number), val_metric: expect.any(Number) })
    expect(seen.at(-1)!.train_loss).toBeLessThan(seen[0]!.train_loss)
  })

  it('an MLP learns a ring (≥ 0.9) where logistic regression cannot (≤ 0.75)', async () => {
    const [train, validation] = splitRows(ring(3000, 2, 3), 2, 2400)
    const mlp = await trainTabular({ algorithm: 'mlp-classifier', featureCount: 2, classes: 2, train, validation, params: { hiddenLayers: [32], epochs: 40, dropout: 0.1 } })
    const logistic = await trainTabular({ algorithm: 'logistic-regression', featureCount: 2, classes: 2, train, validation, params: { epochs: 20 } })
    expect(mlp.metrics.val_accuracy).toBeGreaterThanOrEqual(0.9)
    expect(logistic.metrics.val_accuracy).toBeLessThanOrEqual(0.75)
  })

  it('ridge fits a noisy linear target in closed form (R² ≥ 0.95) with the intercept', async () => {
    const [train, validation] = splitRows(regression(2000, 5, 11, 0.25), 5, 1600)
    const result = await trainTabular({ algorithm: 'ridge', featureCount: 5, train, validation })
    expect(result.metrics.val_r2).toBeGreaterThanOrEqual(0.95)
    expect(result.weights.layers[0]!.bias[0]).toBeCloseTo(3, 1)
    expect(result.curve).toHaveLength(1)
  })

  it('an MLP regressor fits a nonlinear target (R² ≥ 0.9) that ridge cannot (≤ 0.5)', async () => {
    const [train, validation] = splitRows(regression(3000, 3, 5, 0.1, true), 3, 2400)
    const mlp = await trainTabular({ algorithm: 'mlp-regressor', featureCount: 3, train, validation, params: { hiddenLayers: [32, 32], epochs: 40 } })
    const ridge = await trainTabular({ algorithm: 'ridge', featureCount: 3, train, validation })
    expect(mlp.metrics.val_r2).toBeGreaterThanOrEqual(0.9)
    expect(ridge.metrics.val_r2).toBeLessThanOrEqual(0.5)
    // the standardisation of the target is folded back into the weights
    const predicted = await predictDense(mlp.weights, validation.features)
    let mean = 0
    for (let i = 0; i < predicted.length; i++) mean += (predicted[i]! - validation.targets[i]!) / predicted.length
    expect(Math.abs(mean)).toBeLessThan(0.2)
  })

  it('gives the same weights for the same data and seed, and other weights for another seed', async () => {
    const train = blobs(600, 3, 3, 1)
    const job = (seed: number) => trainTabular({ algorithm: 'mlp-classifier', featureCount: 3, classes: 3, train, params: { hiddenLayers: [8], epochs: 3, dropout: 0.2, batchSize: 32, seed } })
    const [a, b, c] = [await job(5), await job(5), await job(6)]
    expect(a.weights).toEqual(b.weights)
    expect(a.curve).toEqual(b.curve)
    expect(a.weights.layers[0]!.weight).not.toEqual(c.weights.layers[0]!.weight)
  })

  it('trains without any L2 penalty (l2: 0)', async () => {
    const [train, validation] = splitRows(blobs(900, 3, 3, 8), 3, 600)
    const result = await trainTabular({ algorithm: 'mlp-classifier', featureCount: 3, classes: 3, train, validation, params: { hiddenLayers: [8], epochs: 10, l2: 0 } })
    expect(result.curve.at(-1)!.train_loss).toBeLessThan(result.curve[0]!.train_loss)
    expect(result.params).toMatchObject({ l2: 0, hiddenLayers: [8], batchSize: 128 })
  })

  it('stops early when the validation loss stops improving and keeps the best epoch', async () => {
    // few rows, many hidden units, noise labels: the validation loss turns up soon
    const [train, validation] = splitRows(ring(300, 6, 9), 6, 150)
    const result = await trainTabular({ algorithm: 'mlp-classifier', featureCount: 6, classes: 2, train, validation, params: { hiddenLayers: [128], epochs: 500, learningRate: 0.05, patience: 3 } })
    const best = result.metrics.best_epoch!
    expect(result.curve.length).toBeLessThan(500)
    expect(result.curve.length).toBe(best + 4)
    const bestLoss = Math.min(...result.curve.map((p) => p.val_loss!))
    expect(result.curve[best]!.val_loss).toBe(bestLoss)
    expect(result.metrics.val_loss).toBe(bestLoss)
  })

  it('stops between batches when canceled', async () => {
    const train = blobs(20_000, 10, 3, 2)
    const controller = new AbortController()
    const started = performance.now()
    const run = trainTabular({ algorithm: 'mlp-classifier', featureCount: 10, classes: 3, train, params: { epochs: 1000, batchSize: 32 } }, { signal: controller.signal, onProgress: () => controller.abort() })
    await expect(run).rejects.toMatchObject({ name: 'AbortError', message: 'training canceled' })
    expect(performance.now() - started).toBeLessThan(15_000)
  })

  it('refuses a job whose matrix does not match its rows', async () => {
    const job = trainTabular({ algorithm: 'ridge', featureCount: 3, train: { features: new Float32Array(10), targets: new Float32Array(4) } })
    await expect(job).rejects.toBeInstanceOf(ZodError)
    await expect(job).rejects.toThrow(/10 feature values are not 4 rows × 3 features/)
  })
})
