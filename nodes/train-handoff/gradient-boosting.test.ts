// The train-handoff node with algorithm "gradient-boosting": generated tables with a structure no
// straight line fits, trained through the node (worker thread and all), scored from the ONNX file
// in onnxruntime-node on raw held-out rows.
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
import { trainHandoff, trainHandoffConfig, type TrainHandoffConfig } from './definition'
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import { run } from './run'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'train-gbdt-'))
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup()
  fs.rmSync(dir, { recursive: true, force: true })
})

/**
 * x, y uniform in [-1, 1); a noise column with nulls; a colour with nulls. Labels: `class` is
 * 'ring' inside x² + y² < 0.3, else 'same' or 'differ' by the signs of x and y (XOR); `xor` is the
 * two-class XOR alone; `wave` = sin(3x) + y² + 0.5 for red rows. `flip` of the rows get a class by
 * chance instead (label noise, for early stopping).
 */
function table(from: number, to: number, flip = 0) {
  return `SELECT x, y, noise, colour,
      CASE WHEN chance < ${flip} THEN ['ring', 'same', 'differ'][(hash(i * 5) % 3 + 1)::INTEGER]
           WHEN x * x + y * y < 0.3 THEN 'ring' WHEN x * y > 0 THEN 'same' ELSE 'differ' END AS "class",
      CASE WHEN x * y > 0 THEN 'same' ELSE 'differ' END AS xor,
      sin(3 * x) + y * y + CASE WHEN colour = 'red' THEN 0.5 ELSE 0 END AS wave
    FROM (SELECT i,
        (hash(i) % 20000) / 10000.0 - 1 AS x,
        (hash(i * 31 + 7) % 20000) / 10000.0 - 1 AS y,
        CASE WHEN i % 10 = 0 THEN NULL ELSE (hash(i * 7 + 3) % 1000) / 1000.0 END AS noise,
        ['red', 'blue', NULL][((hash(i * 13) % 3) + 1)::INTEGER] AS colour,
        (hash(i * 101 + 1) % 1000) / 1000.0 AS chance
      FROM range(${from}, ${to}) t(i))`
}

type Config = Omit<TrainHandoffConfig, 'seed'> & { seed?: number }

async function start(config: Config, options: { rows?: number; validation?: boolean; flip?: number } = {}) {
  const rows = options.rows ?? 3000
  const trainFile = await writeParquet(path.join(dir, `train-${Math.random()}.parquet`), table(0, rows, options.flip))
  const validationFile = await writeParquet(path.join(dir, `validation-${Math.random()}.parquet`), table(rows, rows + 1000, options.flip))
  const t = await createTestContext(trainHandoff, config, { inputs: { train: trainFile, ...(options.validation === false ? {} : { validation: validationFile }) } })
  cleanups.push(() => t.cleanup())
  return t
}

async function train(config: Config, options: { rows?: number; validation?: boolean; flip?: number } = {}) {
  const t = await start(config, options)
  await run(t.ctx)
  return t
}

/** Scores the model file on 2,000 raw rows it never saw; gives accuracy or R². */
async function heldOut(modelPath: string, label: string, task: 'classification' | 'regression'): Promise<number> {
  const bytes = fs.readFileSync(modelPath)
  const metadata = readModelMetadata(bytes)!
  const session = await ort.InferenceSession.create(bytes)
  const file = await writeParquet(path.join(dir, `held-out-${Math.random()}.parquet`), table(50_000, 52_000))
  const scored = await withDuckDB((db) => scoreBatches(inThisThread(session), datasetFeeds(db, file, metadata.features, { labelColumn: label, task, batchRows: 512 }), task))
  if (task === 'classification') return scored.predicted.filter((p, i) => p === scored.truth[i]).length / scored.rows
  const truth = scored.truth.map(Number)
  const mean = truth.reduce((s, v) => s + v, 0) / truth.length
  const residual = truth.reduce((s, v, i) => s + (v - scored.values![i]!) ** 2, 0)
  return 1 - residual / truth.reduce((s, v) => s + (v - mean) ** 2, 0)
}

const builtin = { type: 'builtin' as const, algorithm: 'gradient-boosting' as const }
const features = ['x', 'y', 'noise', 'colour']

describe('train-handoff with gradient-boosted trees', () => {
  it('learns three classes from XOR plus a ring (held-out accuracy ≥ 0.97), charting every round', async () => {
    const t = await train({ trainer: { ...builtin, label: 'class', features }, registerAs: 'xor-ring' })
    expect(await heldOut(t.files.model!.path, 'class', 'classification')).toBeGreaterThanOrEqual(0.97)
    const metadata = readModelMetadata(fs.readFileSync(t.files.model!.path))!
    expect(metadata).toMatchObject({ task: 'classification', labels: ['differ', 'ring', 'same'], algorithm: 'gradient-boosting' })
    expect(metadata.params).toMatchObject({ trees: 100, maxDepth: 6, learningRate: 0.1, minSamplesLeaf: 20, subsample: 1, patience: 10, seed: 42 })
    expect(metadata.metrics!.val_accuracy).toBeGreaterThanOrEqual(0.95)
    expect(metadata.metrics!.tree_count).toBe(3 * metadata.metrics!.best_round!)
    expect(t.curve.length).toBe(metadata.trainingCurve!.length)
    expect(t.curve[0]).toMatchObject({ step: 1, train_loss: expect.any(Number), val_loss: expect.any(Number), val_accuracy: expect.any(Number) })
    expect(t.curve.map((p) => p.step)).toEqual(t.curve.map((_, i) => i + 1))
    expect(t.curve.at(-1)!.train_loss).toBeLessThan(t.curve[0]!.train_loss!)
    expect(t.progress.some((p) => /^Round \d+ of 100: loss/.test(p.message ?? ''))).toBe(true)
  })

  it('learns two-class XOR without a validation input (≥ 0.98), and the same seed gives the same model bytes', async () => {
    const config = (seed: number): Config => ({ trainer: { ...builtin, label: 'xor', features, trees: 40, subsample: 0.8 }, registerAs: 'xor', seed })
    const [a, b, c] = [await train(config(7), { validation: false }), await train(config(7), { validation: false }), await train(config(8), { validation: false })]
    expect(await heldOut(a.files.model!.path, 'xor', 'classification')).toBeGreaterThanOrEqual(0.98)
    const bytes = (t: typeof a) => fs.readFileSync(t.files.model!.path)
    expect(bytes(a).equals(bytes(b))).toBe(true)
    expect(bytes(a).equals(bytes(c))).toBe(false)
    const metadata = readModelMetadata(bytes(a))!
    expect(metadata.outputs).toEqual([
      { name: 'label', type: 'string', shape: ['N'] },
      { name: 'probabilities', type: 'float32', shape: ['N', 2] },
    ])
    expect(metadata.metrics).toMatchObject({ rounds: 40, tree_count: 40 })
    expect(a.curve[0]).not.toHaveProperty('val_loss')
  })

  it('fits a nonlinear regression, sin(3x) + y² + 0.5·[red] (held-out R² ≥ 0.98)', async () => {
    const t = await train({ trainer: { ...builtin, label: 'wave', features, maxDepth: 4, trees: 200 }, registerAs: 'wave' })
    expect(await heldOut(t.files.model!.path, 'wave', 'regression')).toBeGreaterThanOrEqual(0.98)
    const metadata = readModelMetadata(fs.readFileSync(t.files.model!.path))!
    expect(metadata.task).toBe('regression')
    expect(metadata.outputs.map((o) => o.name)).toEqual(['prediction'])
    expect(metadata.metrics!.val_r2).toBeGreaterThanOrEqual(0.97)
    expect(t.curve[0]).toHaveProperty('val_r2')
  })

  it('stops early when the validation loss stops improving, and keeps the best round', async () => {
    // deep trees on leaves of one row, a big step and 30 % label noise: it overfits within a few rounds
    const trainer = { ...builtin, label: 'class', features, trees: 1000, maxDepth: 10, minSamplesLeaf: 1, learningRate: 0.5, patience: 5 }
    const t = await train({ trainer, registerAs: 'noisy' }, { rows: 2000, flip: 0.3 })
    const metadata = readModelMetadata(fs.readFileSync(t.files.model!.path))!
    const best = metadata.metrics!.best_round!
    const curve = metadata.trainingCurve!
    expect(curve.length).toBeLessThan(1000)
    expect(curve.length).toBe(best + 5)
    const bestLoss = Math.min(...curve.map((p) => p.val_loss!))
    expect(curve[best - 1]!.val_loss).toBe(bestLoss)
    expect(metadata.metrics!.val_loss).toBe(bestLoss)
    expect(metadata.metrics!.tree_count).toBe(3 * best)
  })

  it('stops within a second of a cancel, with nothing charted after it', async () => {
    const t = await start({ trainer: { ...builtin, label: 'class', features, trees: 10_000, maxDepth: 10, minSamplesLeaf: 1 }, registerAs: 'canceled' }, { rows: 30_000 })
    const running = run(t.ctx)
    const settled = running.then(
      () => 'finished',
      (e: Error) => e,
    )
    while (t.curve.length === 0) await new Promise((r) => setTimeout(r, 5))
    const abortedAt = performance.now()
    t.controller.abort()
    const outcome = await settled
    expect(performance.now() - abortedAt).toBeLessThan(1000)
    expect(outcome).toMatchObject({ name: 'AbortError' })
    const charted = t.curve.length
    await new Promise((r) => setTimeout(r, 300))
    expect(t.curve.length).toBe(charted)
    expect(charted).toBeLessThan(10_000)
    expect(t.files.model).toBeUndefined()
  })

  it('refuses a label of more than 1,000 classes, saying why, before training', async () => {
    const file = await writeParquet(path.join(dir, `many-${Math.random()}.parquet`), `SELECT i * 1.0 AS x, 'id-' || i AS id FROM range(0, 1200) t(i)`)
    const t = await createTestContext(trainHandoff, { trainer: { ...builtin, label: 'id' }, registerAs: 'ids' }, { inputs: { train: file } })
    cleanups.push(() => t.cleanup())
    await expect(run(t.ctx)).rejects.toThrow('Gradient boosting grows one tree per class each round; "id" has 1200 classes, more than 1000.')
    expect(t.curve).toHaveLength(0)
  })

  it('refuses a learning rate above 1 for trees, saying why', () => {
    const parsed = trainHandoffConfig.safeParse({ trainer: { ...builtin, label: 'class', learningRate: 2 }, registerAs: 'xor' })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues[0]).toMatchObject({ path: ['trainer', 'learningRate'], message: expect.stringMatching(/must lie in \(0, 1\]/) })
    expect(trainHandoffConfig.safeParse({ trainer: { ...builtin, label: 'wave', task: 'regression', trees: 5, maxDepth: 3 }, registerAs: 'wave' }).success).toBe(true)
    expect(trainHandoffConfig.safeParse({ trainer: { ...builtin, label: 'wave', maxDepth: 17 }, registerAs: 'wave' }).success).toBe(false)
  })
})
