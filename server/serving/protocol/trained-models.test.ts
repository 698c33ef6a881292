// Requests through real models the product trains: what the records and V2 APIs answer must be
// what a direct onnxruntime-node run on hand-written tensors gives, value for value.
import ort from 'onnxruntime-node'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { inThisThread } from '@/nodes/_lib/models/session-thread/session-thread'
import { ModelTrainer, type TrainedCase } from '@/test/harness/trained-models'
import { decodeRecords, encodePredictions, inRecordOrder, type Prediction } from './records'
import { decodeInferRequest, encodeInferResponse } from './v2'

const trainer = new ModelTrainer()
beforeAll(() => trainer.prepareTables(), 120_000)
afterAll(() => trainer.cleanup())

let classifier: Promise<TrainedCase> | undefined
/** Trained once for the records and the V2 test. */
const trainedClassifier = () => (classifier ??= trainer.tabular('logistic-regression'))

/** Runs every feed group of the records and puts the predictions back in record order. */
async function predict(session: ort.InferenceSession, metadata: ModelMetadata, body: unknown): Promise<{ predictions: Prediction[]; groups: number; ignored: string[] }> {
  const runner = inThisThread(session)
  const decoded = await decodeRecords(body, metadata)
  const parts = []
  for (const group of decoded.groups) parts.push({ rows: group.rows, predictions: encodePredictions(await runner.run(group.feeds), metadata, group.rows) })
  return { predictions: inRecordOrder(parts), groups: decoded.groups.length, ignored: decoded.ignored }
}

// the columns as the test tables name them: a bracket, quotes, and a category with nulls
const body = JSON.parse(`{ "records": [
  { "size [cm]": 12.5, "noise \\"n\\"": null, "colour": "red", "id": 1 },
  { "size [cm]": "80", "noise \\"n\\"": 0.5, "colour": "green" },
  { "size [cm]": 50, "noise \\"n\\"": " 0.25 ", "colour": null }
] }`) as unknown

const direct = {
  'size [cm]': new ort.Tensor('float32', Float32Array.from([12.5, 80, 50]), [3, 1]),
  'noise "n"': new ort.Tensor('float32', Float32Array.from([Number.NaN, 0.5, 0.25]), [3, 1]),
  colour: new ort.Tensor('string', ['red', 'green', ''], [3, 1]),
}

describe('records through a trained model', () => {
  it('a classifier answers its label and probabilities by class name', async () => {
    const model = await trainedClassifier()
    const metadata = readModelMetadata(model.bytes)!
    const session = await ort.InferenceSession.create(model.bytes)
    try {
      const { predictions, groups, ignored } = await predict(session, metadata, body)
      const expected = await session.run(direct)
      const probabilities = expected.probabilities!.data as Float32Array
      const k = metadata.labels!.length
      expect(groups).toBe(1)
      expect(ignored).toEqual(['id'])
      expect(predictions).toEqual(
        (expected.label!.data as string[]).map((label, row) => ({ label, scores: Object.fromEntries(metadata.labels!.map((name, c) => [name, probabilities[row * k + c]])) })),
      )
    } finally {
      await session.release()
    }
  }, 120_000)

  it('the same classifier over V2: BYTES and FP32 inputs with odd names, one output asked for', async () => {
    const model = await trainedClassifier()
    const metadata = readModelMetadata(model.bytes)!
    const session = await ort.InferenceSession.create(model.bytes)
    try {
      const request = JSON.parse(JSON.stringify({
        id: 'batch-7',
        inputs: [
          { name: 'colour', shape: [2, 1], datatype: 'BYTES', data: [['red'], ['']] },
          { name: 'size [cm]', shape: [2, 1], datatype: 'FP32', data: [12.5, 80] },
          { name: 'noise "n"', shape: [2, 1], datatype: 'FP32', data: [0.1, 0.5] },
        ],
        outputs: [{ name: 'probabilities' }],
      })) as unknown
      const decoded = decodeInferRequest(request, metadata)
      const outputs = await inThisThread(session).run(decoded.feeds)
      const response = JSON.parse(JSON.stringify(encodeInferResponse({ modelName: 'penguins', modelVersion: '2', id: decoded.id!, outputs, requestedOutputs: decoded.requestedOutputs! }))) as {
        outputs: { name: string; shape: number[]; datatype: string; data: number[] }[]
      }
      const expected = await session.run({
        'size [cm]': new ort.Tensor('float32', Float32Array.from([12.5, 80]), [2, 1]),
        'noise "n"': new ort.Tensor('float32', Float32Array.from([0.1, 0.5]), [2, 1]),
        colour: new ort.Tensor('string', ['red', ''], [2, 1]),
      })
      expect(response).toEqual({
        model_name: 'penguins',
        model_version: '2',
        id: 'batch-7',
        outputs: [{ name: 'probabilities', shape: [...expected.probabilities!.dims], datatype: 'FP32', data: Array.from(expected.probabilities!.data as Float32Array) }],
      })
    } finally {
      await session.release()
    }
  }, 120_000)

  it('a regressor answers its value', async () => {
    const model = await trainer.tabular('ridge')
    const metadata = readModelMetadata(model.bytes)!
    const session = await ort.InferenceSession.create(model.bytes)
    try {
      const { predictions } = await predict(session, metadata, body)
      const expected = await session.run(direct)
      expect(predictions).toEqual(Array.from(expected.prediction!.data as Float32Array, (value) => ({ value })))
    } finally {
      await session.release()
    }
  }, 120_000)

  it('an image model scores PNGs of two sizes as it scores their raw pixels', async () => {
    const model = await trainer.cnn()
    const metadata = readModelMetadata(model.bytes)!
    const session = await ort.InferenceSession.create(model.bytes)
    try {
      // the trainer's raw batches (6 at 45×30, 1 at 23×57) as PNG records, the odd size in the middle
      const images: string[] = []
      for (const batch of model.batches) {
        const { data, dims } = batch.image! as { data: Uint8Array; dims: readonly number[] }
        const [n, height, width] = dims as [number, number, number]
        for (let i = 0; i < n; i++) {
          const pixels = data.subarray(i * height * width * 3, (i + 1) * height * width * 3)
          images.push((await sharp(Buffer.from(pixels), { raw: { width, height, channels: 3 } }).png().toBuffer()).toString('base64'))
        }
      }
      const order = [0, 1, 2, 6, 3, 4, 5]
      const { predictions, groups } = await predict(session, metadata, { records: order.map((i) => ({ image: `data:image/png;base64,${images[i]}` })) })
      const expected: Prediction[] = []
      for (const batch of model.batches) {
        const raw = batch.image!
        const result = await session.run({ image: new ort.Tensor('uint8', raw.data as Uint8Array, raw.dims) })
        const outputs = Object.fromEntries(Object.entries(result).map(([name, t]) => [name, { type: t.type, data: t.data as Float32Array | string[], dims: t.dims }]))
        expected.push(...encodePredictions(outputs, metadata, Array.from({ length: raw.dims[0]! }, (_, i) => i)))
      }
      expect(groups).toBe(2)
      expect(predictions).toEqual(order.map((i) => expected[i]))
    } finally {
      await session.release()
    }
  }, 180_000)
})
