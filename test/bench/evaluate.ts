// Evaluate throughput: the node's scoring path (DuckDB streams the held-out Parquet, each batch of
// 2,048 rows becomes raw input tensors, onnxruntime-node runs the model, answers are gathered
// beside the truth) on 100,000 rows × 20 numbers and a category, beside raw onnxruntime-node
// `session.run` on the same batches already built in memory (same session options), measured in
// the same run.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import ort from 'onnxruntime-node'
import { withDuckDB } from '@/nodes/_lib/duckdb'
import { writeParquet } from '@/nodes/_lib/test-context'
import { headInput, headOutput } from '@/nodes/_lib/models/onnx-head'
import { datasetFeeds, type FeedBatch } from '@/nodes/evaluate/model-feeds'
import { toOrtFeeds } from '@/nodes/evaluate/score'
import { scoreModel, scoringSessionOptions } from '@/nodes/evaluate/score-model'
import { assembleModel } from '@/nodes/train-handoff/onnx/assemble'
import { floatTensor, node } from '@/nodes/train-handoff/onnx/builder'
import { featureWidth, fitTabularPreprocess, tabularPreprocessGraph } from '@/nodes/train-handoff/onnx/tabular-preprocess'
import { seededRandom } from '@/nodes/train-handoff/tabular/random'

const rows = 100_000
const numbers = 20
const batchRows = 2048

function tableSql(): string {
  const columns = Array.from({ length: numbers }, (_, j) => `(hash(i * ${j + 3}) % 10000) / 1000.0 AS "x${j} [u]"`)
  return `SELECT ${columns.join(', ')}, ['red', 'green', 'blue'][(i % 3) + 1] AS colour, ['a', 'b', 'c'][((hash(i) % 3) + 1)::INTEGER] AS "class" FROM range(${rows}) t(i)`
}

/** Preprocessing fitted on a sample, then a linear head: a model as heavy as a logistic regression's. */
function model(sample: Record<string, unknown>[]) {
  const features = [...Array.from({ length: numbers }, (_, j) => ({ name: `x${j} [u]`, kind: 'number' as const })), { name: 'colour', kind: 'category' as const }]
  const fitted = fitTabularPreprocess(sample, features)
  const width = featureWidth(fitted)
  const random = seededRandom(5)
  const weights = Float32Array.from({ length: width * 3 }, () => random() - 0.5)
  const head = { nodes: [node('MatMul', [headInput, 'h/W'], [headOutput])], initializers: [floatTensor('h/W', [width, 3], weights)], opsets: { '': 17 }, probabilities: false }
  return assembleModel({ preprocess: tabularPreprocessGraph(fitted), head, task: 'classification', labels: ['a', 'b', 'c'], metadata: { label: 'class', algorithm: 'bench' } })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

export async function benchEvaluate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-evaluate-'))
  try {
    const file = await writeParquet(path.join(dir, 'held-out.parquet'), tableSql())
    const sample = await withDuckDB((db) => db.rows(`SELECT * FROM read_parquet('${file}') LIMIT 2000`))
    const built = model(sample)
    const modelPath = path.join(dir, 'model.onnx')
    fs.writeFileSync(modelPath, built.bytes)
    const { features } = built.metadata
    const batches: FeedBatch[] = await withDuckDB(async (db) => {
      const out: FeedBatch[] = []
      for await (const batch of datasetFeeds(db, file, features, { labelColumn: 'class', task: 'classification', batchRows })) out.push(batch)
      return out
    })
    // the same session options as the node's, so the ratio is the pipeline's cost alone
    const session = await ort.InferenceSession.create(modelPath, scoringSessionOptions)
    const ours: number[] = []
    const raw: number[] = []
    // alternate so the machine's load falls on both alike; the first round warms both up
    for (let round = 0; round < 4; round++) {
      let started = performance.now()
      const scored = await withDuckDB((db) => scoreModel(db, { modelPath, metadata: built.metadata, datasetPath: file, task: 'classification', labelColumn: 'class', readBlob: async () => Buffer.alloc(0) }))
      await scored.session.release()
      if (round > 0) ours.push(rows / ((performance.now() - started) / 1000))
      started = performance.now()
      for (const batch of batches) await session.run(toOrtFeeds(batch.feeds))
      if (round > 0) raw.push(rows / ((performance.now() - started) / 1000))
    }
    await session.release()
    const [product, reference] = [median(ours), median(raw)]
    return {
      benchmark: `Evaluate scoring ${rows.toLocaleString('en')} held-out rows × ${numbers} numbers + 1 category (preprocessing inside the ONNX graph, linear head, batches of ${batchRows})`,
      product: `${Math.round(product).toLocaleString('en')} rows/s (scoreModel: Parquet streamed by DuckDB → raw tensors → onnxruntime-node → answers beside the truth)`,
      reference: `${Math.round(reference).toLocaleString('en')} rows/s (raw onnxruntime-node session.run on the same batches built in memory); ratio ${(product / reference).toFixed(2)}× (medians of 3)`,
      target: '≥ 0.8× of raw session.run',
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
