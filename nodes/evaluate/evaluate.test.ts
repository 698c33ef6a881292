import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputArtifact, ModelRegistryView } from '../contract'
import { readModelMetadata } from '../_lib/models/embedded-metadata'
import { createTestContext, sha256File, writeParquet } from '../_lib/test-context'
import { trainHandoff, type TrainHandoffConfig } from '../train-handoff/definition'
import { run as runTrain } from '../train-handoff/run'
import { evaluate, type EvaluateConfig } from './definition'
import type { EvaluationReport } from './report'
import { run } from './run'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evaluate-'))
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Three classes by "size [cm]"; a region column whose "east" rows are mislabelled half the time. */
function table(from: number, to: number) {
  return `SELECT
      (hash(i) % 10000) / 100.0 AS "size [cm]",
      ['red', 'blue', NULL][((hash(i * 13) % 3) + 1)::INTEGER] AS colour,
      CASE WHEN i % 4 = 0 THEN 'east' ELSE 'west' END AS "region (sales)",
      CASE WHEN i % 4 = 0 AND i % 8 = 0 THEN 'small'
           WHEN (hash(i) % 10000) < 3300 THEN 'small' WHEN (hash(i) % 10000) < 6600 THEN 'medium' ELSE 'large' END AS "class",
      (hash(i) % 10000) / 50.0 + 3 AS "weight [g]"
    FROM range(${from}, ${to}) t(i)`
}

let trainFile: string
let heldOut: string
beforeAll(async () => {
  trainFile = await writeParquet(path.join(dir, 'train.parquet'), table(0, 1200))
  heldOut = await writeParquet(path.join(dir, 'held-out.parquet'), `SELECT * FROM (${table(5000, 5600)}) UNION ALL SELECT 1, 'red', 'west', NULL, NULL`)
})

async function trainModel(config: Partial<TrainHandoffConfig['trainer']> = {}): Promise<string> {
  const trainer = { type: 'builtin' as const, algorithm: 'logistic-regression' as const, label: 'class', features: ['size [cm]', 'colour'], epochs: 40, ...config }
  const t = await createTestContext(trainHandoff, { trainer, registerAs: 'sizes' } as TrainHandoffConfig, { inputs: { train: trainFile } })
  cleanups.push(() => t.cleanup())
  await runTrain(t.ctx)
  return t.files.model!.path
}

async function evaluateModel(modelPath: string, config: Partial<EvaluateConfig> = {}, registry?: ModelRegistryView) {
  const t = await createTestContext(evaluate, config, { inputs: { model: modelPath, dataset: heldOut }, ...(registry ? { registry } : {}) })
  cleanups.push(() => t.cleanup())
  return { t, result: run(t.ctx).then(() => t.reports.report as EvaluationReport) }
}

/** A registry where the evaluated model is version 2 of "sizes" and `champion` points at `championPath` as version 1. */
async function registryWith(candidatePath: string, championPath?: string): Promise<ModelRegistryView> {
  const candidateId = await sha256File(candidatePath)
  return {
    versionOf: async (id) => (id === candidateId ? { name: 'sizes', version: 2 } : null),
    async aliasTarget(name, alias) {
      if (!championPath || name !== 'sizes' || alias !== 'champion') return null
      const model: InputArtifact = { id: await sha256File(championPath), kind: 'model', path: championPath, filename: null, rowCount: null, schema: null, model: readModelMetadata(fs.readFileSync(championPath))! }
      return { version: 1, model }
    },
  }
}

describe('evaluate', () => {
  let model: string
  beforeAll(async () => {
    model = await trainModel()
  })

  it('scores a classifier on raw held-out rows with an empty config: metrics, confusion matrix, curves, latency', async () => {
    const { t, result } = await evaluateModel(model)
    const report = await result
    expect(report.task).toBe('classification')
    expect(report.dataset).toMatchObject({ rows: 601, scored: 600, skipped: 1 })
    expect(Object.keys(report.metrics)).toEqual(expect.arrayContaining(['accuracy', 'f1_macro', 'precision_macro', 'recall_macro', 'roc_auc', 'log_loss', 'latency_p50_ms', 'latency_p95_ms_batch32', 'size_bytes']))
    expect(report.metrics.accuracy).toBeGreaterThan(0.75)
    expect(report.metrics.roc_auc).toBeGreaterThan(0.9)
    const matrix = report.classification!.confusion_matrix
    expect(matrix.labels).toEqual(['large', 'medium', 'small'])
    expect(matrix.matrix.flat().reduce((a, b) => a + b, 0)).toBe(600)
    expect(report.classification!.curves.map((c) => c.label)).toEqual(['large', 'medium', 'small'])
    expect(report.latency.map((l) => l.batch)).toEqual([1, 32])
    expect(report.passed).toBe(true)
    expect(t.logs.some((l) => l.message.includes('1 without a true answer left out'))).toBe(true)
  })

  it('fails the step naming the gate that failed, and passes the others', async () => {
    const { t, result } = await evaluateModel(model, { gates: [{ metric: 'accuracy', min: 0.5 }, { metric: 'f1_macro', min: 0.999 }] })
    await expect(result).rejects.toThrow(/^A quality gate failed: f1_macro ≥ 0\.999: f1_macro is 0\.\d+, so the gate fails\.$/)
    expect(t.logs.some((l) => l.level === 'info' && l.message.startsWith('Passed: accuracy ≥ 0.5'))).toBe(true)
  })

  it('a gate on a metric it does not compute fails, listing the metrics it has', async () => {
    const { result } = await evaluateModel(model, { gates: [{ metric: 'rmse', max: 1 }] })
    await expect(result).rejects.toThrow(/this evaluation has no rmse; it has accuracy, precision_macro/)
  })

  it('reports metrics per segment and fails a gap larger than allowed, naming both segments', async () => {
    const { result } = await evaluateModel(model, { segmentBy: 'region (sales)', maxSegmentGap: { metric: 'accuracy', value: 0.05 } })
    await expect(result).rejects.toThrow(/accuracy gap between segments of region \(sales\) ≤ 0\.05: 0\.\d+ between "west" and "east", so the gate fails/)
    const { result: ok } = await evaluateModel(model, { segmentBy: 'region (sales)' })
    const report = await ok
    expect(report.segments!.segments.map((s) => [s.segment, s.rows])).toEqual([['west', 450], ['east', 150]])
    const gap = report.segments!.gaps.find((g) => g.metric === 'accuracy')!
    expect(gap.worst.segment).toBe('east')
  })

  it('promotes a registered model when every gate passes; without a champion it is the first', async () => {
    const { t, result } = await evaluateModel(model, { champion: { alias: 'champion', metric: 'f1_macro', maxDrop: 0 }, promoteTo: 'champion' }, await registryWith(model))
    const report = await result
    expect(report.champion!.note).toBe('"sizes" has no champion yet, so this model is the first')
    expect(report.promoted).toEqual({ alias: 'champion', name: 'sizes', version: 2 })
    expect(t.aliasMoves).toEqual([{ name: 'sizes', alias: 'champion', version: 2 }])
  })

  it('scores the champion on the same rows and refuses a candidate that is worse by more than the margin', async () => {
    const weak = await trainModel({ features: ['colour'], epochs: 5 })
    const { t, result } = await evaluateModel(weak, { champion: { alias: 'champion', metric: 'accuracy', maxDrop: 0.01 }, promoteTo: 'champion' }, await registryWith(weak, model))
    await expect(result).rejects.toThrow(/accuracy not worse than champion \(version 1\) by more than 0\.01: 0\.\d+ against 0\.\d+, worse by 0\.\d+, so the gate fails/)
    expect(t.aliasMoves).toEqual([])
  })

  it('evaluates a regressor with MAE, RMSE, R² and residuals', async () => {
    const regressor = await trainModel({ algorithm: 'ridge', label: 'weight [g]', features: ['size [cm]'] })
    const report = await (await evaluateModel(regressor)).result
    expect(report.task).toBe('regression')
    expect(report.metrics.r2).toBeGreaterThan(0.99)
    expect(report.dataset.skipped).toBe(1)
    expect(report.regression!.residuals.predicted).toHaveLength(600)
  })

  it('names the missing column when the dataset lacks the label or a feature', async () => {
    const { result } = await evaluateModel(model, { label: 'no such column' })
    await expect(result).rejects.toThrow(/The dataset has no column "no such column" the model needs; it has "size \[cm\]", "colour"/)
  })

  it('refuses to promote a model that is not in the registry', async () => {
    const { result } = await evaluateModel(model, { promoteTo: 'champion' })
    await expect(result).rejects.toThrow(/the model is not in the registry, so "champion" cannot point at it/)
  })
})
