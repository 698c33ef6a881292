import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ort from 'onnxruntime-node'
import { afterAll, describe, expect, it } from 'vitest'
import { headInput, headOutput, type OnnxHead } from '../_lib/models/onnx-head'
import { withDuckDB } from '../_lib/duckdb'
import { writeParquet } from '../_lib/test-context'
import { assembleModel } from '../train-handoff/onnx/assemble'
import { floatTensor, node } from '../train-handoff/onnx/builder'
import { fitTabularPreprocess, tabularPreprocessGraph } from '../train-handoff/onnx/tabular-preprocess'
import { datasetFeeds } from './model-feeds'
import { measureLatency, scoreBatches } from './score'
import { inThisThread } from '../_lib/models/session-thread/session-thread'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'score-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const features = [
  { name: 'size [cm]', kind: 'number' as const },
  { name: 'colour', kind: 'category' as const, categories: [] },
]
const training = [
  { 'size [cm]': 1, colour: 'red' },
  { 'size [cm]': 3, colour: 'blue' },
]
// standardised size is -1 or +1; one-hot colour (blue, red): "big" scores size, "red" scores red
function head(): OnnxHead {
  return {
    nodes: [node('MatMul', [headInput, 'h/W'], [headOutput])],
    initializers: [floatTensor('h/W', [3, 2], Float32Array.from([-1, 1, 0, 0, 0, 0]))],
    opsets: { '': 17 },
    probabilities: false,
  }
}

describe('scoring a model on held-out rows, as serving feeds it', () => {
  it('gives each row its label and probabilities, in order, across batches', async () => {
    const fitted = fitTabularPreprocess(training, features)
    const model = assembleModel({ preprocess: tabularPreprocessGraph(fitted), head: head(), task: 'classification', labels: ['small', 'big'], metadata: { label: 'class', algorithm: 'test' } })
    const session = await ort.InferenceSession.create(model.bytes)
    const file = await writeParquet(
      path.join(dir, 'held-out.parquet'),
      `SELECT * FROM (VALUES (1.0, 'red', 'small', 'a'), (3.0, 'blue', 'big', 'b'), (NULL, 'green', 'big', 'a'), (5.0, NULL, 'big', NULL), (0.5, 'red', 'big', 'b'))
         AS t("size [cm]", colour, class, site)`,
    )
    const scored = await withDuckDB((db) =>
      scoreBatches(inThisThread(session), datasetFeeds(db, file, model.metadata.features, { labelColumn: 'class', task: 'classification', segmentColumn: 'site', batchRows: 2 }), 'classification'),
    )
    expect(scored.rows).toBe(5)
    expect(scored.classes).toBe(2)
    expect(scored.truth).toEqual(['small', 'big', 'big', 'big', 'big'])
    expect(scored.segments).toEqual(['a', 'b', 'a', '', 'b'])
    // a missing size is imputed to the mean (standardised 0): a tie, and ties go to the first class
    expect(scored.predicted).toEqual(['small', 'big', 'small', 'big', 'small'])
    const p = (row: number) => [...scored.probabilities!.slice(row * 2, row * 2 + 2)]
    expect(p(0)[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 6)
    expect(p(2)).toEqual([0.5, 0.5])

    const latency = await withDuckDB(async (db) => {
      for await (const batch of datasetFeeds(db, file, model.metadata.features, { labelColumn: 'class', task: 'classification', batchRows: 5 })) return measureLatency(inThisThread(session), batch, 5)
      return []
    })
    expect(latency.map((l) => l.batch)).toEqual([1]) // only 5 rows: no batch of 32
    expect(latency[0]!.p50_ms_per_row).toBeGreaterThan(0)
  })
})
