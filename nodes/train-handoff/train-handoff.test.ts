import fs from 'node:fs'
import ort from 'onnxruntime-node'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { withDuckDB } from '../_lib/duckdb'
import { createTestContext, writeParquet } from '../_lib/test-context'
import { datasetFeeds } from '../evaluate/model-feeds'
import { scoreBatches } from '../evaluate/score'
import { inThisThread } from '../_lib/models/session-thread/session-thread'
import { trainHandoff, type TrainHandoffConfig } from './definition'
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import { run } from './run'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'train-handoff-'))
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Three classes by "size [cm]", a noise column with nulls, a colour category that carries no signal. */
function table(from: number, to: number) {
  return `SELECT
      (hash(i) % 10000) / 100.0 AS "size [cm]",
      CASE WHEN i % 10 = 0 THEN NULL ELSE (hash(i * 7 + 3) % 1000) / 1000.0 END AS "noise ""n""",
      ['red', 'blue', NULL][((hash(i * 13) % 3) + 1)::INTEGER] AS colour,
      CASE WHEN (hash(i) % 10000) < 3300 THEN 'small' WHEN (hash(i) % 10000) < 6600 THEN 'medium' ELSE 'large' END AS "class",
      i AS _source_row
    FROM range(${from}, ${to}) t(i)`
}

async function train(config: Omit<TrainHandoffConfig, 'seed'> & { seed?: number }, withValidation = true) {
  const trainFile = await writeParquet(path.join(dir, `train-${Math.random()}.parquet`), table(0, 1500))
  const validationFile = await writeParquet(path.join(dir, `validation-${Math.random()}.parquet`), table(1500, 1800))
  const t = await createTestContext(trainHandoff, config, { inputs: { train: trainFile, ...(withValidation ? { validation: validationFile } : {}) } })
  cleanups.push(() => t.cleanup())
  await run(t.ctx)
  return t
}

async function accuracyOnHeldOut(modelPath: string): Promise<number> {
  const bytes = fs.readFileSync(modelPath)
  const metadata = readModelMetadata(bytes)!
  const session = await ort.InferenceSession.create(bytes)
  const heldOut = await writeParquet(path.join(dir, `held-out-${Math.random()}.parquet`), table(5000, 5600))
  const scored = await withDuckDB((db) => scoreBatches(inThisThread(session), datasetFeeds(db, heldOut, metadata.features, { labelColumn: 'class', task: 'classification', batchRows: 256 }), 'classification'))
  return scored.predicted.filter((p, i) => p === scored.truth[i]).length / scored.rows
}

describe('train-handoff with a built-in trainer', () => {
  it('trains logistic regression into an ONNX model that classifies raw held-out rows, with its curve and metadata', async () => {
    const t = await train({ trainer: { type: 'builtin', algorithm: 'logistic-regression', label: 'class', epochs: 60 }, registerAs: 'sizes' })
    const file = t.files.model!
    expect(file.mediaType).toBe('application/onnx')
    expect(await accuracyOnHeldOut(file.path)).toBeGreaterThanOrEqual(0.9)
    const metadata = readModelMetadata(fs.readFileSync(file.path))!
    expect(metadata).toMatchObject({ task: 'classification', label: 'class', labels: ['large', 'medium', 'small'], algorithm: 'logistic-regression' })
    expect(metadata.features.map((f) => f.name)).toEqual(['size [cm]', 'noise "n"', 'colour'])
    expect(metadata.referenceProfile!.find((p) => p.name === 'size [cm]')).toMatchObject({ kind: 'number', count: 1500 })
    expect(metadata.metrics!.val_accuracy).toBeGreaterThan(0.85)
    // the live chart saw every epoch the metadata's curve has
    expect(t.curve.length).toBe(metadata.trainingCurve!.length)
    expect(t.curve[0]).toMatchObject({ step: 1 })
    expect(t.curve.at(-1)!.train_loss).toBeLessThan(t.curve[0]!.train_loss!)
  })

  it('trains without a validation input, and the same seed gives the same model bytes', async () => {
    const config = { trainer: { type: 'builtin' as const, algorithm: 'mlp' as const, label: 'class', epochs: 5, hiddenLayers: [8] }, registerAs: 'sizes', seed: 7 }
    const [a, b] = [await train(config, false), await train(config, false)]
    expect(fs.readFileSync(a.files.model!.path).equals(fs.readFileSync(b.files.model!.path))).toBe(true)
  })

  it('trains a regressor on a numeric label with ridge', async () => {
    const t = await train({ trainer: { type: 'builtin', algorithm: 'ridge', label: 'size [cm]', features: ['noise "n"', 'colour'] }, registerAs: 'sizes' })
    const metadata = readModelMetadata(fs.readFileSync(t.files.model!.path))!
    expect(metadata.task).toBe('regression')
    expect(metadata.outputs.map((o) => o.name)).toEqual(['prediction'])
  })

  it('refuses a label that is not in the data, naming the columns there are', async () => {
    await expect(train({ trainer: { type: 'builtin', algorithm: 'mlp', label: 'species' }, registerAs: 'sizes' })).rejects.toThrow(
      'The label column "species" is not in the training data; it has "size [cm]", "noise \\"n\\"", "colour", "class", "_source_row".',
    )
  })
})
