// The product's own built-in trainers, run quickly on small generated data with known structure:
// each case goes through the train-handoff node's executor (as a worker does), so the bytes are
// the real ONNX file with its preprocessing inside, and its raw inputs are what serving feeds it
// (evaluate's datasetFeeds: float32 numbers with NaN for missing, string categories with '' for
// missing, uint8 RGB images at their own size).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { withDuckDB } from '@/nodes/_lib/duckdb'
import { writeImageDataset, type ImageRow } from '@/nodes/_lib/image-dataset'
import { createRng } from '@/nodes/_lib/images/rng'
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import { createTestContext, writeParquet } from '@/nodes/_lib/test-context'
import { datasetFeeds, type FeedBatch } from '@/nodes/evaluate/model-feeds'
import { ingest } from '@/nodes/ingest/definition'
import { trainHandoff, type BuiltinTrainer } from '@/nodes/train-handoff/definition'
import type { RawTensor } from '@/nodes/train-handoff/onnx/test-runtimes'
import { run } from '@/nodes/train-handoff/run'

export interface TrainedCase {
  name: string
  bytes: Uint8Array
  /** batches of raw inputs, each one model call */
  batches: Record<string, RawTensor>[]
  /** the executor's "Trained …" log line */
  summary: string
}

type Cleanup = () => Promise<void>

/**
 * Three size classes by "size [cm]" (a classifier's structure), and a value that is linear in
 * size, shifted for red rows and bent by a sine (a regressor's). A noise column with nulls, a
 * colour with nulls; held-out rows bring a colour training never saw.
 */
function table(from: number, to: number, colours: string): string {
  return `SELECT size AS "size [cm]", noise AS "noise ""n""", colour, class, value FROM (
    SELECT
      (hash(i) % 10000) / 100.0 AS size,
      CASE WHEN i % 10 = 0 THEN NULL ELSE (hash(i * 7 + 3) % 1000) / 1000.0 END AS noise,
      ${colours}[((hash(i * 13) % ${colours.split(',').length}) + 1)::INTEGER] AS colour,
      CASE WHEN size < 33 THEN 'small' WHEN size < 66 THEN 'medium' ELSE 'large' END AS class,
      0.3 * size + CASE WHEN colour = 'red' THEN 5 ELSE 0 END + 3 * sin(size / 10) AS value
    FROM range(${from}, ${to}) t(i))`
}

const numberFeatures = ['size [cm]', 'noise "n"', 'colour']

/** Few epochs, few trees: the point is the runtimes' agreement, not the accuracy. */
export const tabularTrainers: Record<string, BuiltinTrainer> = {
  'logistic-regression': { type: 'builtin', algorithm: 'logistic-regression', label: 'class', features: numberFeatures, epochs: 15 },
  'mlp classification': { type: 'builtin', algorithm: 'mlp', label: 'class', features: numberFeatures, epochs: 8, hiddenLayers: [16] },
  'mlp regression': { type: 'builtin', algorithm: 'mlp', label: 'value', features: numberFeatures, epochs: 8, hiddenLayers: [16] },
  ridge: { type: 'builtin', algorithm: 'ridge', label: 'value', features: numberFeatures },
  'gradient-boosting classification': { type: 'builtin', algorithm: 'gradient-boosting', label: 'class', features: numberFeatures, trees: 15, maxDepth: 4 },
  'gradient-boosting regression': { type: 'builtin', algorithm: 'gradient-boosting', label: 'value', features: numberFeatures, trees: 15, maxDepth: 4 },
}

export class ModelTrainer {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-parity-'))
  private readonly cleanups: Cleanup[] = []
  private trainFile = ''
  private heldOutFile = ''

  async prepareTables(): Promise<void> {
    this.trainFile = await writeParquet(path.join(this.dir, 'train.parquet'), table(0, 600, "['red', 'blue', NULL]"))
    // 48 rows in one batch: nulls, NaN-free numbers, and 'green', a colour the model never saw
    this.heldOutFile = await writeParquet(path.join(this.dir, 'held-out.parquet'), table(5000, 5048, "['red', 'blue', 'green', NULL]"))
  }

  async tabular(name: string): Promise<TrainedCase> {
    const trainer = tabularTrainers[name]!
    const t = await this.trainNode(trainer, this.trainFile)
    const bytes = new Uint8Array(fs.readFileSync(t.files.model!.path))
    const metadata = readModelMetadata(bytes)!
    const batches: Record<string, RawTensor>[] = []
    await withDuckDB(async (db) => {
      const feeds = datasetFeeds(db, this.heldOutFile, metadata.features, { labelColumn: trainer.label, task: metadata.task, batchRows: 1000 })
      for await (const batch of feeds) batches.push(rawFeeds(batch))
    })
    return { name, bytes, batches, summary: trainedLine(t) }
  }

  /** `shape`: a bigger network than the default's (benchmarks want one whose inference costs something) */
  async cnn(shape: { imageSize?: number; filters?: number[] } = {}): Promise<TrainedCase> {
    // blobs the image dataset refers to live in a context of their own, as an upstream step's would
    const host = await createTestContext(ingest, { source: { type: 'sample', name: 'penguins' } })
    this.cleanups.push(() => host.cleanup())
    const rows: ImageRow[] = []
    for (let i = 0; i < 48; i++) {
      const p = picture(i, 1)
      const png = await sharp(Buffer.from(p.rgb), { raw: { width: p.width, height: p.height, channels: 3 } }).png().toBuffer()
      rows.push({ image: await host.ctx.outputs.blob(png, 'image/png'), width: p.width, height: p.height, label: p.label })
    }
    const file = path.join(this.dir, 'images.parquet')
    await writeImageDataset(file, rows, { workDir: this.dir })
    const trainer: BuiltinTrainer = { type: 'builtin', algorithm: 'cnn', label: 'label', imageSize: 16, filters: [4, 8], epochs: 3, batchSize: 16, learningRate: 0.01, ...shape }
    const t = await this.trainNode(trainer, file)
    const bytes = new Uint8Array(fs.readFileSync(t.files.model!.path))
    // raw uint8 RGB at sizes training never had: a batch of 6 at 45×30, a batch of one at 23×57
    const batches = [imageBatch(Array.from({ length: 6 }, (_, i) => picture(100 + i, 2, { width: 45, height: 30 }))), imageBatch([picture(200, 3, { width: 23, height: 57 })])]
    return { name: 'cnn', bytes, batches, summary: trainedLine(t) }
  }

  async cleanup(): Promise<void> {
    for (const cleanup of this.cleanups) await cleanup()
    fs.rmSync(this.dir, { recursive: true, force: true })
  }

  private async trainNode(trainer: BuiltinTrainer, trainFile: string) {
    const t = await createTestContext(trainHandoff, { trainer, registerAs: 'parity', seed: 3 }, { inputs: { train: trainFile } })
    this.cleanups.push(() => t.cleanup())
    await run(t.ctx)
    return t
  }
}

function trainedLine(t: { logs: readonly { message: string }[] }): string {
  return t.logs.find((l) => l.message.startsWith('Trained'))?.message ?? ''
}

function rawFeeds(batch: FeedBatch): Record<string, RawTensor> {
  const out: Record<string, RawTensor> = {}
  for (const [name, t] of Object.entries(batch.feeds)) {
    if (t.type === 'string') out[name] = { type: 'string', data: t.data as string[], dims: t.dims }
    else if (t.type === 'float32') out[name] = { type: 'float32', data: t.data as Float32Array, dims: t.dims }
    else out[name] = { type: 'uint8', data: t.data as Uint8Array, dims: t.dims }
  }
  return out
}

interface Picture {
  rgb: Uint8Array
  width: number
  height: number
  label: string
}

const stripeClasses = ['horizontal', 'plain', 'vertical'] as const

/** Stripes across, stripes down, or none, at a random size (unless given), period, phase and tint, with noise. */
function picture(index: number, seed: number, size?: { width: number; height: number }): Picture {
  const rng = createRng(seed).fork(index)
  const label = stripeClasses[index % stripeClasses.length]!
  const width = size?.width ?? rng.int(24, 40)
  const height = size?.height ?? rng.int(24, 40)
  const period = rng.int(6, 10)
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

/** Pictures of one size as one raw [N, H, W, 3] uint8 tensor. */
function imageBatch(pictures: Picture[]): Record<string, RawTensor> {
  const { width, height } = pictures[0]!
  const data = new Uint8Array(pictures.length * width * height * 3)
  pictures.forEach((p, i) => data.set(p.rgb, i * width * height * 3))
  return { image: { type: 'uint8', data, dims: [pictures.length, height, width, 3] } }
}
