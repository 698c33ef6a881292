import { afterEach, describe, expect, it } from 'vitest'
import { tinyClassifier, tinyClassifierMetadata } from '@/test/harness/onnx-models'
import { ServingClosedError } from './errors'
import { ModelPool, modelKey, type ModelLoader } from './pool'
import type { InferResult } from './served-model'

/** Version n of "species" has n + 2 classes, so an answer tells which version gave it. */
const loader: ModelLoader = async (key) => {
  const version = Number(key.split('@')[1])
  const classes = version + 2
  return { bytes: tinyClassifier({ classes }), metadata: tinyClassifierMetadata({ classes }), options: { threads: 1 } }
}

function countingLoader(): { load: ModelLoader; calls: string[] } {
  const calls: string[] = []
  return { calls, load: (key) => (calls.push(key), loader(key)) }
}

const oneRow = { features: { type: 'float32', data: Float32Array.from([1, 2]), dims: [1, 2] } }
const classesOf = (answer: InferResult) => answer.outputs.probabilities!.dims[1]

let pool: ModelPool
afterEach(async () => {
  await pool?.close()
})

describe('the model pool', () => {
  it('loads a version once for concurrent first uses and counts its references', async () => {
    const { load, calls } = countingLoader()
    pool = new ModelPool(load)
    const key = modelKey('species', 1)
    expect(key).toBe('species@1')
    const models = await Promise.all(Array.from({ length: 5 }, () => pool.acquire(key)))
    expect(calls).toEqual([key])
    expect(new Set(models).size).toBe(1)
    expect(pool.get(key)).toBe(models[0])
    expect(pool.stats()).toEqual([{ key, references: 5, loaded: true }])
    expect(classesOf(await models[0]!.infer(oneRow))).toBe(3)
  })

  it('leaves nothing behind when a load fails, so the next use tries again', async () => {
    let failures = 1
    pool = new ModelPool(async (key) => {
      if (failures-- > 0) return { bytes: new TextEncoder().encode('not a model'), metadata: tinyClassifierMetadata() }
      return loader(key)
    })
    const attempts = await Promise.allSettled([pool.acquire('species@1'), pool.acquire('species@1')])
    expect(attempts.map((a) => a.status)).toEqual(['rejected', 'rejected'])
    expect(pool.stats()).toEqual([])
    await expect(pool.acquire('species@1')).resolves.toBeDefined()
  })

  it('closes a version when its last reference goes, after its requests are answered', async () => {
    pool = new ModelPool(loader)
    const model = await pool.acquire('species@1')
    await pool.acquire('species@1')
    await pool.release('species@1')
    expect(pool.get('species@1')).toBe(model)
    const inFlight = Array.from({ length: 30 }, () => model.infer(oneRow))
    const released = pool.release('species@1')
    expect(pool.get('species@1')).toBeUndefined()
    await expect(model.infer(oneRow)).rejects.toBeInstanceOf(ServingClosedError)
    expect(await Promise.all(inFlight)).toHaveLength(30)
    await released
  })

  it('swaps versions under a steady stream of requests without failing one', async () => {
    pool = new ModelPool(loader)
    let live = modelKey('species', 1)
    await pool.acquire(live)
    const answers: Promise<InferResult>[] = []
    let swapped: Promise<void> | null = null
    // 500 requests, one every 2 ms; halfway, version 2 is loaded and warmed, then takes the traffic
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        // a route resolves the model and calls it in one tick
        answers.push(pool.get(live)!.infer(oneRow))
        if (answers.length === 250) {
          swapped = (async () => {
            const next = modelKey('species', 2)
            await pool.acquire(next)
            const previous = live
            live = next
            await pool.release(previous)
          })()
        }
        if (answers.length === 500) {
          clearInterval(timer)
          done()
        }
      }, 2)
    })
    await swapped
    const results = await Promise.allSettled(answers)
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    const versions = results.map((r) => classesOf((r as PromiseFulfilledResult<InferResult>).value))
    const firstNew = versions.indexOf(4)
    expect(firstNew).toBeGreaterThanOrEqual(250)
    expect(versions.slice(0, firstNew).every((v) => v === 3)).toBe(true)
    expect(versions.slice(firstNew).every((v) => v === 4)).toBe(true)
    expect(versions.slice(firstNew)).not.toHaveLength(0)
    expect(pool.stats()).toEqual([{ key: 'species@2', references: 1, loaded: true }])
  })
})
