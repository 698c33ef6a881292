// The product's own trained models (preprocessing inside the graph, string and number columns,
// raw images) served with batching: every request gets what a direct session gives its rows alone.
import ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import { inThisThread, type Feeds, type Outputs, type TensorData } from '@/nodes/_lib/models/session-thread/session-thread'
import { ModelTrainer, type TrainedCase } from '@/test/harness/trained-models'
import { ServedModel } from './served-model'

const trainer = new ModelTrainer()
beforeAll(async () => {
  await trainer.prepareTables()
})
afterAll(async () => {
  await trainer.cleanup()
})

function sliceRows(feeds: Feeds, start: number, end: number): Feeds {
  const out: Feeds = {}
  for (const [name, t] of Object.entries(feeds)) {
    const perRow = t.dims.slice(1).reduce((p, d) => p * d, 1)
    const data = ArrayBuffer.isView(t.data) ? (t.data as Float32Array).slice(start * perRow, end * perRow) : Array.from(t.data as ArrayLike<unknown>).slice(start * perRow, end * perRow)
    out[name] = { type: t.type, data: data as TensorData['data'], dims: [end - start, ...t.dims.slice(1)] }
  }
  return out
}

/** Each batch cut into requests of 1, 2, 3, 4, 5, 1, … rows. */
function requestsOf(trained: TrainedCase): Feeds[] {
  const requests: Feeds[] = []
  for (const batch of trained.batches) {
    const rows = Object.values(batch)[0]!.dims[0]!
    for (let start = 0, k = 0; start < rows; k++) {
      const end = Math.min(rows, start + 1 + (k % 5))
      requests.push(sliceRows(batch as Feeds, start, end))
      start = end
    }
  }
  return requests
}

function expectSameAnswers(actual: Outputs, expected: Outputs): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort())
  for (const [name, tensor] of Object.entries(expected)) {
    expect(actual[name]!.dims).toEqual(tensor.dims)
    const got = Array.from(actual[name]!.data as ArrayLike<unknown>)
    const want = Array.from(tensor.data as ArrayLike<unknown>)
    if (typeof want[0] === 'number') got.forEach((v, i) => expect(v as number).toBeCloseTo(want[i] as number, 5))
    else expect(got).toEqual(want)
  }
}

async function servesLikeADirectSession(trained: TrainedCase): Promise<void> {
  const metadata = readModelMetadata(trained.bytes)!
  const model = await ServedModel.open({ bytes: trained.bytes, metadata, options: { threads: 2, maxBatch: 16 } })
  const direct = inThisThread(await ort.InferenceSession.create(trained.bytes))
  try {
    const requests = requestsOf(trained)
    const answers = await Promise.all(requests.map((feeds) => model.infer(feeds)))
    for (const [i, answer] of answers.entries()) expectSameAnswers(answer.outputs, await direct.run(requests[i]!))
    expect(model.stats().runs).toBeLessThan(requests.length)
  } finally {
    await direct.release()
    await model.close()
  }
}

describe('trained models served with batching', () => {
  it.each(['logistic-regression', 'gradient-boosting classification', 'mlp regression'])('%s answers every request as a direct session answers its rows', async (name) => {
    await servesLikeADirectSession(await trainer.tabular(name))
  })

  it('the CNN answers raw images of two sizes, batching those of one size', async () => {
    await servesLikeADirectSession(await trainer.cnn())
  })
})
