// The train node's `cnn` algorithm end to end: an image dataset of PNG blobs in, an ONNX model out
// that takes raw uint8 RGB images at their own size, scored in onnxruntime-node and -web.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StepError } from '../contract'
import { withDuckDB } from '../_lib/duckdb'
import { writeImageDataset, type ImageRow } from '../_lib/image-dataset'
import { readModelMetadata } from '../_lib/models/embedded-metadata'
import { createTestContext, type TestRun } from '../_lib/test-context'
import { ingest } from '../ingest/definition'
import { createRng } from '../_lib/images/rng'
import { trainHandoff, trainHandoffConfig, type TrainHandoffConfig } from './definition'
import { fitNormalisation, loadImageTensors, normalise, readImageRows } from './image-data'
import { disposeCnn, predictCnn } from './image/cnn'
import { weightsToParams } from './image/cnn-graph'
import { trainCnnJob } from './image/cnn-job'
import { preprocessImage } from './onnx/image-preprocess'
import { floats, maxAbsDiff, runModel, strings } from './onnx/test-runtimes'
import { run } from './run'

const classes = ['horizontal', 'plain', 'vertical'] as const
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'train-cnn-'))
const runs: TestRun<unknown, never, never>[] = []
// blobs a test dataset refers to live in a context of their own, as an upstream step's would
let host: TestRun<unknown, never, never>
beforeAll(async () => {
  host = (await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })) as unknown as TestRun<unknown, never, never>
})
afterAll(async () => {
  for (const r of runs) await r.cleanup()
  await host.cleanup()
  fs.rmSync(dir, { recursive: true, force: true })
})

interface Picture {
  rgb: Uint8Array
  width: number
  height: number
  label: string
}

/** Stripes across, stripes down, or none, at a random size, period, phase and tint, with noise. */
function picture(index: number, seed: number): Picture {
  const rng = createRng(seed).fork(index)
  const label = classes[index % classes.length]!
  const width = rng.int(36, 72)
  const height = rng.int(36, 72)
  const period = rng.int(8, 14)
  const phase = rng.int(0, period - 1)
  const tint = [rng.range(140, 240), rng.range(140, 240), rng.range(140, 240)]
  const rgb = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = label === 'horizontal' ? y : x
      const on = label !== 'plain' && (along + phase) % period < period / 2
      for (let c = 0; c < 3; c++) rgb[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round((on ? tint[c]! : 70) + rng.normal() * 10)))
    }
  }
  return { rgb, width, height, label }
}

let datasets = 0
async function imageDataset(pictures: Picture[]): Promise<string> {
  const rows: ImageRow[] = []
  for (const p of pictures) {
    const png = await sharp(Buffer.from(p.rgb), { raw: { width: p.width, height: p.height, channels: 3 } }).png().toBuffer()
    rows.push({ image: await host.ctx.outputs.blob(png, 'image/png'), width: p.width, height: p.height, label: p.label })
  }
  const file = path.join(dir, `images-${datasets++}.parquet`)
  await writeImageDataset(file, rows, { workDir: dir })
  return file
}

const pictures = (from: number, count: number, seed: number) => Array.from({ length: count }, (_, i) => picture(from + i, seed))
const trainPictures = pictures(0, 180, 1)
const validationPictures = pictures(0, 45, 2)
const heldOut = pictures(0, 60, 3)
let trainFile = ''
let validationFile = ''
beforeAll(async () => {
  trainFile = await imageDataset(trainPictures)
  validationFile = await imageDataset(validationPictures)
})

const trainer = { type: 'builtin', algorithm: 'cnn', label: 'label', imageSize: 24, epochs: 6, batchSize: 16, learningRate: 0.01 } as const

async function train(config: Omit<TrainHandoffConfig, 'seed'> & { seed?: number }, inputs: { train: string; validation?: string }) {
  const t = await createTestContext(trainHandoff, config, { inputs })
  runs.push(t as unknown as TestRun<unknown, never, never>)
  await run(t.ctx)
  return t
}

/** Each held-out picture on its own, raw uint8 [1, H, W, 3] at its own size, as evaluate and serving feed it. */
async function scoreRaw(runtime: 'onnxruntime-node' | 'onnxruntime-web', bytes: Uint8Array) {
  const labels: string[] = []
  const probabilities: number[] = []
  for (const p of heldOut) {
    const out = await runModel(runtime, bytes, { image: { type: 'uint8', data: p.rgb, dims: [1, p.height, p.width, 3] } })
    labels.push(strings(out, 'label')[0]!)
    probabilities.push(...floats(out, 'probabilities'))
  }
  return { labels, probabilities }
}

describe('train-handoff with the cnn algorithm', () => {
  let model: Uint8Array
  let t: Awaited<ReturnType<typeof train>>
  beforeAll(async () => {
    t = await train({ trainer, registerAs: 'stripes', seed: 5 }, { train: trainFile, validation: validationFile })
    model = fs.readFileSync(t.files.model!.path)
  })

  it('classifies held-out raw images of other sizes through the ONNX file, with its curve and image metadata', async () => {
    const scored = await scoreRaw('onnxruntime-node', model)
    const accuracy = scored.labels.filter((l, i) => l === heldOut[i]!.label).length / heldOut.length
    console.info(`cnn held-out accuracy ${accuracy.toFixed(3)}; ${t.logs.find((l) => l.message.startsWith('Trained'))?.message}`)
    expect(accuracy).toBeGreaterThanOrEqual(0.9)
    const metadata = readModelMetadata(model)!
    expect(metadata).toMatchObject({
      task: 'classification',
      label: 'label',
      labels: [...classes],
      algorithm: 'cnn',
      features: [{ name: 'image', kind: 'image', width: 24, height: 24 }],
      inputs: [{ name: 'image', type: 'uint8', shape: ['N', 'H', 'W', 3] }],
    })
    expect(metadata.referenceProfile).toEqual([expect.objectContaining({ name: 'image', kind: 'image', count: 180 })])
    expect(metadata.referenceProfile![0]).toMatchObject({ meanLevel: [expect.any(Number), expect.any(Number), expect.any(Number)] })
    expect(t.models.model).toMatchObject({ algorithm: 'cnn' })
    // the live chart saw every epoch, with validation loss and accuracy
    expect(t.curve.length).toBe(metadata.trainingCurve!.length)
    expect(t.curve[0]).toMatchObject({ step: 1, train_loss: expect.any(Number), val_loss: expect.any(Number), val_accuracy: expect.any(Number) })
    expect(t.curve.at(-1)!.train_loss).toBeLessThan(t.curve[0]!.train_loss!)
  })

  it('gives the same answers in onnxruntime-web, to 1e-5', async () => {
    const [inNode, inWeb] = [await scoreRaw('onnxruntime-node', model), await scoreRaw('onnxruntime-web', model)]
    expect(inWeb.labels).toEqual(inNode.labels)
    expect(maxAbsDiff(inWeb.probabilities, inNode.probabilities)).toBeLessThan(1e-5)
  })

  it('answers as the in-memory network trained on the same tensors does, and the same seed gives the same bytes', async () => {
    const { weights, fitted } = await withDuckDB(async (db) => {
      const readBlob = (id: string) => host.ctx.readBlob(id)
      const signal = new AbortController().signal
      const rows = await readImageRows(db, trainFile, 'label')
      const validationRows = await readImageRows(db, validationFile, 'label', rows.labels)
      const tensors = await loadImageTensors(rows.ids, 24, { readBlob, signal })
      const validation = await loadImageTensors(validationRows.ids, 24, { readBlob, signal })
      const fitted = fitNormalisation(tensors, 24)
      normalise(tensors, fitted)
      normalise(validation, fitted)
      const params = { epochs: 6, batchSize: 16, learningRate: 0.01, seed: 5 }
      const job = { algorithm: 'cnn' as const, height: 24, width: 24, classes: 3, train: { features: tensors.features, targets: rows.targets }, validation: { features: validation.features, targets: validationRows.targets }, params }
      return { weights: (await trainCnnJob(job)).cnn, fitted }
    })
    const inMemory = { shape: weights.shape, params: weightsToParams(weights), curve: [], bestEpoch: 0 }
    const features = new Float32Array(heldOut.length * 3 * 24 * 24)
    heldOut.forEach((p, i) => features.set(preprocessImage(p.rgb, p.width, p.height, fitted), i * 3 * 24 * 24))
    const expected = predictCnn(inMemory, features, heldOut.length)
    disposeCnn(inMemory)
    const scored = await scoreRaw('onnxruntime-node', model)
    expect(maxAbsDiff(scored.probabilities, expected)).toBeLessThan(1e-5)

    const again = await train({ trainer, registerAs: 'stripes', seed: 5 }, { train: trainFile, validation: validationFile })
    expect(fs.readFileSync(again.files.model!.path).equals(Buffer.from(model))).toBe(true)
  })
})

describe('train-handoff cnn refusals and cancel', () => {
  it('stops within a second of a cancel', async () => {
    const t = await createTestContext(trainHandoff, { trainer: { ...trainer, epochs: 500, batchSize: 4 }, registerAs: 'stripes' }, { inputs: { train: trainFile } })
    runs.push(t as unknown as TestRun<unknown, never, never>)
    let canceledAt = 0
    const running = run(t.ctx)
    const poll = setInterval(() => {
      if (t.curve.length > 0 && canceledAt === 0) {
        canceledAt = performance.now()
        t.controller.abort()
      }
    }, 5)
    await expect(running).rejects.toMatchObject({ name: 'AbortError' })
    clearInterval(poll)
    expect(canceledAt).toBeGreaterThan(0)
    expect(performance.now() - canceledAt).toBeLessThan(1000)
    expect(t.files.model).toBeUndefined()
  })

  it('refuses a table without an image column, naming its columns', async () => {
    const table = path.join(dir, 'table.parquet')
    await withDuckDB((db) => db.exec(`COPY (SELECT 1.5 AS size, 'a' AS label) TO '${table}' (FORMAT parquet)`))
    const failed = await train({ trainer, registerAs: 'stripes' }, { train: table }).catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(StepError)
    expect((failed as Error).message).toBe('The CNN trains on an image dataset, whose "image" column holds image ids; the training data has no "image" column: its columns are "size", "label".')
  })

  it('refuses other feature columns, an image too small for its pooling layers, and regression', () => {
    const issues = (t: Record<string, unknown>) => trainHandoffConfig.safeParse({ trainer: { ...trainer, ...t }, registerAs: 'stripes' }).error?.issues.map((i) => i.message)
    expect(issues({ features: ['photo'] })).toEqual(['the CNN reads the image dataset\'s "image" column: leave features out or set it to ["image"]'])
    expect(issues({ imageSize: 8, filters: [4, 4, 4, 4] })).toEqual(['4 pooling layers halve the image 4 times: imageSize 8 is too small, use at least 16'])
    expect(issues({ task: 'regression' })).toEqual(['cnn learns classification, not regression'])
    expect(issues({})).toBeUndefined()
  })
})
