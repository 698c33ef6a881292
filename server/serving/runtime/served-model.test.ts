import ort from 'onnxruntime-node'
import { afterEach, describe, expect, it } from 'vitest'
import { inThisThread, ModelLoadError, type Feeds, type ModelRunner, type SessionThread } from '@/nodes/_lib/models/session-thread/session-thread'
import { tinyClassifier, tinyClassifierMetadata } from '@/test/harness/onnx-models'
import { InferenceFailedError, InferenceTimeoutError, InvalidFeedsError, ServingBusyError, ServingClosedError } from './errors'
import { ServedModel } from './served-model'
import { brightnessModel, lookupModel, slowModel } from './test-models'

const opened: ServedModel[] = []
async function serve(source: Parameters<typeof ServedModel.open>[0]): Promise<ServedModel> {
  const model = await ServedModel.open(source)
  opened.push(model)
  return model
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((m) => m.close()))
})

async function direct(bytes: Uint8Array): Promise<ModelRunner> {
  return inThisThread(await ort.InferenceSession.create(bytes))
}

/** `rows` rows of two features, distinct per request, so a mixed-up answer shows. */
function featureRows(request: number, rows: number): Feeds {
  const data = Float32Array.from({ length: rows * 2 }, (_, i) => request + i * 0.25 - 3)
  return { features: { type: 'float32', data, dims: [rows, 2] } }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('a served model', () => {
  it('answers 64 concurrent requests of mixed row counts each with its own rows, in fewer runs than requests', async () => {
    const model = await serve({ bytes: tinyClassifier(), metadata: tinyClassifierMetadata(), options: { threads: 2, maxBatch: 16 } })
    const reference = await direct(tinyClassifier())
    const requests = Array.from({ length: 64 }, (_, r) => featureRows(r, 1 + (r % 5)))
    const answers = await Promise.all(requests.map((feeds) => model.infer(feeds)))
    for (const [r, answer] of answers.entries()) {
      const expected = await reference.run(requests[r]!)
      expect(answer.outputs.probabilities!.dims).toEqual([1 + (r % 5), 3])
      expect(Array.from(answer.outputs.probabilities!.data as Float32Array)).toEqual(Array.from(expected.probabilities!.data as Float32Array))
      expect(answer.batchRows).toBeLessThanOrEqual(16)
      expect(answer.latencyMs).toBeGreaterThan(0)
    }
    const stats = model.stats()
    expect(stats.requests).toBe(64)
    expect(stats.runs).toBeLessThan(64)
    expect(stats.largestBatchRows).toBeLessThanOrEqual(16)
    expect(stats.rows).toBe(requests.reduce((sum, f) => sum + f.features!.dims[0]!, 0))
    expect(stats).toMatchObject({ queued: 0, inFlight: 0, batching: true, failures: 0 })
    await reference.release()
  })

  it('runs a request larger than maxBatch on its own, and batches the rest around it', async () => {
    const model = await serve({ bytes: tinyClassifier(), metadata: tinyClassifierMetadata(), options: { maxBatch: 8 } })
    const reference = await direct(tinyClassifier())
    const requests = [featureRows(0, 2), featureRows(1, 40), featureRows(2, 3), featureRows(3, 3)]
    const answers = await Promise.all(requests.map((feeds) => model.infer(feeds)))
    expect(answers.map((a) => a.batchRows)).toEqual([8, 40, 8, 8])
    for (const [r, answer] of answers.entries()) expect(answer.outputs.probabilities!.data).toEqual((await reference.run(requests[r]!)).probabilities!.data)
    expect(model.stats()).toMatchObject({ runs: 2, largestBatchRows: 40 })
    await reference.release()
  })

  it('runs requests one by one when the batch dimension is fixed', async () => {
    const model = await serve({ bytes: tinyClassifier({ batch: 4 }), metadata: tinyClassifierMetadata({ batch: 4 }), options: { threads: 2 } })
    const reference = await direct(tinyClassifier({ batch: 4 }))
    const requests = Array.from({ length: 10 }, (_, r) => featureRows(r, 4))
    const answers = await Promise.all(requests.map((feeds) => model.infer(feeds)))
    for (const [r, answer] of answers.entries()) {
      expect(answer.batchRows).toBe(4)
      expect(answer.outputs.probabilities!.data).toEqual((await reference.run(requests[r]!)).probabilities!.data)
    }
    expect(model.stats()).toMatchObject({ requests: 10, runs: 10, batching: false })
    await expect(model.infer(featureRows(0, 3))).rejects.toThrow(/size 3 in dimension 0/)
    await reference.release()
  })

  it('fails a bad request inside a batch alone, with onnxruntime\'s reason, and answers the others', async () => {
    const { bytes, metadata } = lookupModel()
    const model = await serve({ bytes, metadata })
    const indexes = [1, 2, 3, 99, 4, 5, 6, 7]
    const results = await Promise.allSettled(indexes.map((i) => model.infer({ index: { type: 'int64', data: BigInt64Array.from([BigInt(i)]), dims: [1, 1] } })))
    for (const [k, result] of results.entries()) {
      const i = indexes[k]!
      if (i === 99) {
        expect(result.status).toBe('rejected')
        const error = (result as PromiseRejectedResult).reason as Error
        expect(error).toBeInstanceOf(InferenceFailedError)
        expect(error.message).toMatch(/indices|bounds|99/i)
      } else {
        expect(result.status).toBe('fulfilled')
        expect(Array.from((result as PromiseFulfilledResult<Awaited<ReturnType<ServedModel['infer']>>>).value.outputs.lookup!.data as Float32Array)).toEqual([i * 20, i * 20 + 10])
      }
    }
    // one batch of all eight, then each again on its own
    expect(model.stats()).toMatchObject({ requests: 8, runs: 9, failures: 1 })
  })

  it('concatenates images only of one size, and answers each its own', async () => {
    const { bytes, metadata } = brightnessModel()
    const model = await serve({ bytes, metadata })
    const image = (level: number, height: number, width: number) => ({ image: { type: 'uint8', data: new Uint8Array(height * width * 3).fill(level), dims: [1, height, width, 3] } })
    const requests = Array.from({ length: 12 }, (_, r) => (r % 2 === 0 ? image(r * 10, 8, 8) : image(r * 10, 5, 7)))
    const answers = await Promise.all(requests.map((feeds) => model.infer(feeds)))
    expect(answers.map((a) => (a.outputs.brightness!.data as Float32Array)[0])).toEqual(requests.map((_, r) => r * 10))
    expect(model.stats().runs).toBeGreaterThanOrEqual(2)
    expect(model.stats().runs).toBeLessThan(12)
  })

  it('refuses tensors it cannot run before they reach a batch, saying what is wrong', async () => {
    const model = await serve({ bytes: tinyClassifier(), metadata: tinyClassifierMetadata() })
    const bad = (feeds: unknown) => model.infer(feeds as Feeds)
    await expect(bad({})).rejects.toThrow(/Missing input 'features'/)
    await expect(bad({ features: featureRows(0, 1).features, extra: featureRows(0, 1).features })).rejects.toThrow(/Unknown input 'extra'/)
    await expect(bad({ features: { type: 'float64', data: new Float64Array(2), dims: [1, 2] } })).rejects.toThrow(/takes float32, not float64/)
    await expect(bad({ features: { type: 'float32', data: new Float32Array(3), dims: [1, 2] } })).rejects.toThrow(/3 values; its dimensions make 2/)
    await expect(bad({ features: { type: 'float32', data: [1, 2], dims: [1, 2] } })).rejects.toThrow(/as a Float32Array/)
    await expect(bad({ features: { type: 'float32', data: new Float32Array(3), dims: [1, 3] } })).rejects.toThrow(/size 3 in dimension 1/)
    await expect(bad({ features: { type: 'float32', data: new Float32Array(0), dims: [0, 2] } })).rejects.toThrow(/no rows/)
    await expect(bad(null)).rejects.toBeInstanceOf(InvalidFeedsError)
    expect(model.stats().requests).toBe(0)
  })

  it('refuses a request at once with ServingBusyError when maxQueue requests already wait', async () => {
    const { bytes, metadata } = slowModel()
    const model = await serve({ bytes, metadata, options: { threads: 1, maxQueue: 2 } })
    const slow = { x: { type: 'float32', data: new Float32Array(300 * 256).fill(0.1), dims: [300, 256] } }
    const small = { x: { type: 'float32', data: new Float32Array(256).fill(0.1), dims: [1, 256] } }
    const running = model.infer(slow)
    await tick()
    const waiting = [model.infer(small), model.infer(small)]
    expect(model.stats()).toMatchObject({ inFlight: 1, queued: 2 })
    const refused = await model.infer(small).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ServingBusyError)
    expect((refused as ServingBusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1)
    expect(Number.isInteger((refused as ServingBusyError).retryAfterSeconds)).toBe(true)
    await Promise.all([running, ...waiting])
    expect(model.stats().busyRejections).toBe(1)
  })

  it('times a request out, drops its late answer and keeps serving', async () => {
    // about 50 GFLOP for the slow request: far beyond 100 ms on any one core
    const { bytes, metadata } = slowModel(200)
    const model = await serve({ bytes, metadata, options: { threads: 1, timeoutMs: 100 } })
    const slow = { x: { type: 'float32', data: new Float32Array(2000 * 256).fill(0.1), dims: [2000, 256] } }
    const small = { x: { type: 'float32', data: new Float32Array(256).fill(0.1), dims: [1, 256] } }
    const timedOut = model.infer(slow)
    await tick()
    // waits behind the slow run, within its own, longer limit
    const patient = model.infer(small, { timeoutMs: 30_000 })
    const queuedThenTimedOut = model.infer(small)
    const outcomes = await Promise.allSettled([timedOut, queuedThenTimedOut])
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'answered'))).toEqual(Array(2).fill('The model did not answer within 100 ms.'))
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(InferenceTimeoutError)
    // both gave up while the slow run still holds the thread
    expect(model.stats()).toMatchObject({ inFlight: 1, timeouts: 2 })
    const answer = await patient
    expect(answer.outputs.y!.dims).toEqual([1, 256])
    expect(model.stats()).toMatchObject({ inFlight: 0, queued: 0, runs: 2 })
  })

  it('fails an aborted request with the signal\'s reason', async () => {
    const model = await serve({ bytes: tinyClassifier(), metadata: tinyClassifierMetadata() })
    const controller = new AbortController()
    const request = model.infer(featureRows(0, 1), { signal: controller.signal })
    controller.abort(new Error('client went away'))
    await expect(request).rejects.toThrow('client went away')
    await expect(model.infer(featureRows(0, 1), { signal: controller.signal })).rejects.toThrow('client went away')
  })

  it('sends no more work to a thread that has ended, and refuses requests once none is left', async () => {
    const model = await serve({ bytes: tinyClassifier(), metadata: tinyClassifierMetadata(), options: { threads: 2 } })
    // a thread that died (out of memory, a native fault), seen from outside as its end; ended while
    // idle, since ending a worker in the middle of a native run aborts the whole process
    const threads = (model as unknown as { threads: { slots: { thread: SessionThread }[] } }).threads.slots.map((s) => s.thread)
    await threads[0]!.terminate()
    const answers = await Promise.all(Array.from({ length: 20 }, (_, r) => model.infer(featureRows(r, 1))))
    expect(answers.every((a) => a.outputs.probabilities!.dims[0] === 1)).toBe(true)
    expect(model.stats()).toMatchObject({ liveThreads: 1, failures: 0 })
    await threads[1]!.terminate()
    await expect(model.infer(featureRows(0, 1))).rejects.toThrow(/Every thread of this model version has stopped/)
  })

  it('on close, answers what it already took, refuses new requests, then ends its threads', async () => {
    const model = await ServedModel.open({ bytes: tinyClassifier(), metadata: tinyClassifierMetadata(), options: { threads: 2 } })
    const taken = Array.from({ length: 40 }, (_, r) => model.infer(featureRows(r, 2)))
    const closed = model.close()
    await expect(model.infer(featureRows(0, 1))).rejects.toBeInstanceOf(ServingClosedError)
    const answers = await Promise.all(taken)
    expect(answers).toHaveLength(40)
    await closed
    expect(model.stats()).toMatchObject({ requests: 40, queued: 0, inFlight: 0 })
  })

  it('warms an image model at its feature size and refuses metadata that names other inputs', async () => {
    const { bytes, metadata } = brightnessModel()
    await expect(serve({ bytes, metadata })).resolves.toBeInstanceOf(ServedModel)
    const lying = { ...metadata, inputs: [{ name: 'pixels', type: 'uint8' as const, shape: ['N', 'H', 'W', 3] }] }
    await expect(ServedModel.open({ bytes, metadata: lying })).rejects.toBeInstanceOf(ModelLoadError)
    await expect(ServedModel.open({ bytes, metadata, options: { threads: 0 } })).rejects.toThrow(/threads|>=1|too small/i)
  })
})
