// Each built-in trainer's ONNX file gives the same outputs in onnxruntime-node (server, edge) and
// in onnxruntime-web running in real Chromium (the browser preview): probabilities and
// predictions within 1e-5, labels exactly. The models come from the product's trainers on small
// generated data; the inputs are raw (float32 numbers with NaN for missing, string categories
// with unseen and missing values, uint8 images at sizes training never had). No app server: the
// page and onnxruntime-web's files come from a throwaway server of the test's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maxAbsDiff, runModel, type RunOutputs } from '@/nodes/train-handoff/onnx/test-runtimes'
import { openWebRuntimePage, type WebRuntimePage } from '../harness/onnx-web-page'
import { ModelTrainer, tabularTrainers, type TrainedCase } from '../harness/trained-models'

const tolerance = 1e-5
const trainer = new ModelTrainer()
let web: WebRuntimePage
const measured: { model: string; outputs: string; maxAbsDiff: number; rows: number }[] = []

beforeAll(async () => {
  web = await openWebRuntimePage()
  await trainer.prepareTables()
})
afterAll(async () => {
  console.info(`onnxruntime-web ${web?.version} in Chromium vs onnxruntime-node, max |difference| per model:\n${measured.map((m) => `  ${m.model}: ${m.maxAbsDiff.toExponential(2)} over ${m.rows} rows (${m.outputs})`).join('\n')}`)
  await web?.close()
  await trainer.cleanup()
})

/** Every output the node runtime gives, the browser gives too, at the same shape; floats within the tolerance, strings equal. */
function compare(node: RunOutputs, browser: RunOutputs): number {
  expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort())
  let worst = 0
  for (const [name, expected] of Object.entries(node)) {
    const actual = browser[name]!
    expect(actual.dims, name).toEqual(expected.dims)
    if (expected.data instanceof Float32Array) {
      expect(actual.data, name).toBeInstanceOf(Float32Array)
      expect(expected.data.every(Number.isFinite), `${name} is finite`).toBe(true)
      const diff = maxAbsDiff(expected.data, actual.data as Float32Array)
      expect(diff, name).toBeLessThanOrEqual(tolerance)
      worst = Math.max(worst, diff)
    } else {
      expect(actual.data, name).toEqual(expected.data)
    }
  }
  return worst
}

async function checkParity(trained: TrainedCase): Promise<void> {
  let worst = 0
  let rows = 0
  let outputs = ''
  const labels: string[] = []
  for (const batch of trained.batches) {
    const node = await runModel('onnxruntime-node', trained.bytes, batch)
    const browser = await web.run(trained.bytes, batch)
    worst = Math.max(worst, compare(node, browser))
    rows += Object.values(batch)[0]!.dims[0]!
    outputs = Object.keys(node).sort().join(', ')
    labels.push(...((node.label?.data as string[] | undefined) ?? []))
  }
  if (outputs.includes('label')) expect(new Set(labels).size, 'distinct predicted labels').toBeGreaterThan(1)
  measured.push({ model: trained.name, outputs, maxAbsDiff: worst, rows })
  console.info(`${trained.name}: max |node − web| ${worst.toExponential(2)}; ${trained.summary}`)
}

describe('onnxruntime-web in Chromium matches onnxruntime-node on every built-in trainer', () => {
  it('loads onnxruntime-web 1.30.0 in the page', () => {
    expect(web.version).toBe('1.30.0')
  })

  for (const name of Object.keys(tabularTrainers)) {
    it(`${name}: the same outputs on raw rows with nulls and an unseen category`, async () => {
      const trained = await trainer.tabular(name)
      // the raw inputs really have what serving meets: a missing number, a missing and an unseen category
      const [batch] = trained.batches
      expect(Array.from(batch!['noise "n"']!.data as Float32Array).some(Number.isNaN)).toBe(true)
      expect(batch!.colour!.data).toEqual(expect.arrayContaining(['', 'green', 'red', 'blue']))
      await checkParity(trained)
    })
  }

  it('cnn: the same outputs on raw uint8 images at sizes training never had', async () => {
    await checkParity(await trainer.cnn())
  })

  it('ran on the wasm backend the page served, not on anything of Node', () => {
    // the wasm binary loads with the first session, so this is checked after the models ran
    expect(web.requested).toEqual(expect.arrayContaining(['/ort/ort.wasm.min.mjs', '/ort/ort-wasm-simd-threaded.mjs', '/ort/ort-wasm-simd-threaded.wasm']))
  })
})
