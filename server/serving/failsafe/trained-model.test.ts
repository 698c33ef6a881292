// The fail-safe on a model Pipewright really trained and onnxruntime-node really runs: its metadata,
// reference profile and probabilities are the ones serving will hand to evaluateFailsafe.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import type { ModelMetadata } from '@/nodes/_lib/models/metadata'
import { createTestContext, writeParquet } from '@/nodes/_lib/test-context'
import { categoryInput, numberInput } from '@/nodes/train-handoff/onnx/tabular-preprocess'
import { trainHandoff } from '@/nodes/train-handoff/definition'
import { run } from '@/nodes/train-handoff/run'
import { checkFailsafe, evaluateFailsafe, failsafeSchema, type ModelOutcome } from './index'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failsafe-'))
let cleanup: () => Promise<void> = async () => {}
let metadata: ModelMetadata
let session: ort.InferenceSession

/** Three classes by "size [cm]" (0–100: small below 33, large from 66), a colour that carries no signal. */
const table = `SELECT
    (hash(i) % 10000) / 100.0 AS "size [cm]",
    ['red', 'blue'][((hash(i * 13) % 2) + 1)::INTEGER] AS colour,
    CASE WHEN (hash(i) % 10000) < 3300 THEN 'small' WHEN (hash(i) % 10000) < 6600 THEN 'medium' ELSE 'large' END AS "class"
  FROM range(0, 1500) t(i)`

beforeAll(async () => {
  const train = await writeParquet(path.join(dir, 'train.parquet'), table)
  const t = await createTestContext(trainHandoff, { trainer: { type: 'builtin', algorithm: 'logistic-regression', label: 'class', epochs: 80 }, registerAs: 'sizes', seed: 1 }, { inputs: { train } })
  cleanup = () => t.cleanup()
  await run(t.ctx)
  const bytes = fs.readFileSync(t.files.model!.path)
  metadata = readModelMetadata(bytes)!
  session = await ort.InferenceSession.create(bytes)
})

afterAll(async () => {
  await session?.release()
  await cleanup()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** One record through the model as serving feeds it: one [1, 1] tensor per raw feature. */
async function predict(record: Record<string, unknown>): Promise<ModelOutcome> {
  const feeds: Record<string, ort.Tensor> = {}
  for (const feature of metadata.features) {
    const raw = record[feature.name]
    feeds[feature.name] = feature.kind === 'number' ? new ort.Tensor('float32', Float32Array.of(numberInput(raw)), [1, 1]) : new ort.Tensor('string', [categoryInput(raw)], [1, 1])
  }
  const out = await session.run(feeds)
  const probabilities = out.probabilities!.data as Float32Array
  const scores = Object.fromEntries(metadata.labels!.map((label, k) => [label, probabilities[k]!]))
  return { scores, label: String((out.label!.data as string[])[0]) }
}

describe('the fail-safe guarding a trained classifier', () => {
  const config = failsafeSchema.parse({ minConfidence: 0.6, outOfRange: { tolerance: 0.05 }, action: { type: 'refuse' } })

  it('fits the model it guards', () => {
    expect(checkFailsafe(config, metadata)).toEqual([])
  })

  it('lets clear cases through and stops the unsure, the unseen and the far-out ones', async () => {
    const decide = async (record: Record<string, unknown>) => {
      const decision = evaluateFailsafe(config, { metadata, record, outcome: await predict(record) })
      return decision.fallback ? decision.reason : 'model'
    }
    expect(await decide({ 'size [cm]': 10, colour: 'red' })).toBe('model')
    expect(await decide({ 'size [cm]': '90', colour: 'blue' })).toBe('model')
    // on the border of small and medium the model cannot tell
    expect(await decide({ 'size [cm]': 33, colour: 'red' })).toBe('low-confidence')
    expect(await decide({ 'size [cm]': 140, colour: 'red' })).toBe('out-of-range')
    expect(await decide({ 'size [cm]': 10, colour: 'green' })).toBe('out-of-range')
    // a missing size is imputed: no range to be out of
    expect(await decide({ 'size [cm]': null, colour: 'red' })).not.toBe('out-of-range')
  })

  it('says in words which input was strange', async () => {
    const record = { 'size [cm]': 140, colour: 'red' }
    const decision = evaluateFailsafe(config, { metadata, record, outcome: await predict(record) })
    expect(decision).toMatchObject({
      fallback: true,
      detail: expect.stringMatching(/^size \[cm\] 140 is outside the training range 0–99\.9\d* even with 5% tolerance/),
      answer: { needsHuman: true },
    })
  })
})
