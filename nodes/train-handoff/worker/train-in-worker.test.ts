import { describe, expect, it } from 'vitest'
import { blobs, splitRows } from '../tabular/synthetic'
import { trainTabular } from '../tabular/train'
import type { EpochProgress } from '../tabular/params'
import { trainInWorker } from './train-in-worker'

describe('training in a worker thread', () => {
  it('trains the same weights as in this thread, with progress, and moves the matrix instead of copying it', async () => {
    const [train, validation] = splitRows(blobs(2000, 5, 3, 3), 5, 1600)
    const here = await trainTabular({ algorithm: 'mlp-classifier', featureCount: 5, classes: 3, train, validation, params: { hiddenLayers: [16], epochs: 4 } })
    const progress: EpochProgress[] = []
    const job = { algorithm: 'mlp-classifier' as const, featureCount: 5, classes: 3, train: { features: train.features.slice(), targets: train.targets.slice() }, validation, params: { hiddenLayers: [16], epochs: 4 } }
    const there = await trainInWorker(job, { onProgress: (p) => progress.push(p) })
    expect(there.weights).toEqual(here.weights)
    expect(progress).toEqual(here.curve)
    expect(there.metrics.val_accuracy).toBeGreaterThan(0.9)
    expect(there.backend).toBe('wasm')
    expect(job.train.features.length).toBe(0) // transferred
  })

  it('keeps the main event loop ticking while it trains, and stops within a second when aborted', async () => {
    const train = blobs(50_000, 20, 3, 5)
    const controller = new AbortController()
    let ticks = 0
    const timer = setInterval(() => ticks++, 10)
    const epochs: number[] = []
    let abortedAt = 0
    const run = trainInWorker(
      { algorithm: 'mlp-classifier', featureCount: 20, classes: 3, train, params: { epochs: 1000, batchSize: 32 } },
      {
        onProgress: (p) => {
          epochs.push(p.step)
          if (p.step === 1) {
            abortedAt = performance.now()
            controller.abort()
          }
        },
        signal: controller.signal,
      },
    )
    const started = performance.now()
    await expect(run).rejects.toMatchObject({ name: 'AbortError', message: 'training canceled' })
    const ended = performance.now()
    clearInterval(timer)
    // ticks every 10 ms: at least a third of them ran while two epochs trained
    expect(ticks).toBeGreaterThan((ended - started) / 10 / 3)
    expect(ended - abortedAt).toBeLessThan(1000)
    await new Promise((r) => setTimeout(r, 300))
    expect(epochs).toEqual([0, 1]) // nothing came after the abort
  })

  it('brings errors back as Errors with their message', async () => {
    const bad = trainInWorker({ algorithm: 'ridge', featureCount: 3, train: { features: new Float32Array(5), targets: new Float32Array(2) } })
    await expect(bad).rejects.toThrow(/5 feature values are not 2 rows × 3 features/)
    const aborted = new AbortController()
    aborted.abort()
    await expect(trainInWorker({ algorithm: 'ridge', featureCount: 1, train: { features: new Float32Array(1), targets: new Float32Array(1) } }, { signal: aborted.signal })).rejects.toMatchObject({ name: 'AbortError' })
  })
})
