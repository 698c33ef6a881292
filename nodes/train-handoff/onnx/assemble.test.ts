import { onnx } from '../../_lib/models/onnx'
import { describe, expect, it } from 'vitest'
import { headInput, headOutput, type OnnxHead } from '@/nodes/_lib/models/onnx-head'
import { assembleModel } from './assemble'
import { readModelMetadata } from '@/nodes/_lib/models/embedded-metadata'
import { floatTensor, node } from './builder'
import { fitImagePreprocess, imagePreprocessGraph, preprocessImage } from './image-preprocess'
import { featureWidth, fitTabularPreprocess, preprocessRows, tabularInputs, tabularPreprocessGraph } from './tabular-preprocess'
import { oddFeatures, oddRows } from './test-tables'
import { floats, maxAbsDiff, runModel, runtimes, seeded, strings } from './test-runtimes'

/** A linear head, scores = features · W + b, optionally with a softmax inside. */
function linearHead(weights: Float32Array, width: number, outputs: number, bias: Float32Array, softmax: boolean): OnnxHead {
  const margins = softmax ? 'linear/margins' : headOutput
  return {
    nodes: [
      node('MatMul', [headInput, 'linear/W'], ['linear/product']),
      node('Add', ['linear/product', 'linear/b'], [margins]),
      ...(softmax ? [node('Softmax', [margins], [headOutput])] : []),
    ],
    initializers: [floatTensor('linear/W', [width, outputs], weights), floatTensor('linear/b', [outputs], bias)],
    opsets: { '': 17 },
    probabilities: softmax,
  }
}

/** The same head in TS, in float64, from the TS twin's features. */
function linearScores(features: Float32Array, weights: Float32Array, width: number, outputs: number, bias: Float32Array): number[][] {
  const rows = features.length / width
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: outputs }, (_, k) => {
      let sum = bias[k] ?? 0
      for (let j = 0; j < width; j += 1) sum += (features[r * width + j] ?? 0) * (weights[j * outputs + k] ?? 0)
      return sum
    }),
  )
}

function softmax(row: number[]): number[] {
  const max = Math.max(...row)
  const e = row.map((v) => Math.exp(v - max))
  const total = e.reduce((a, b) => a + b, 0)
  return e.map((v) => v / total)
}

function randomFloats(count: number, seed: number): Float32Array {
  const random = seeded(seed)
  return Float32Array.from({ length: count }, () => random() * 2 - 1)
}

const fitted = fitTabularPreprocess(oddRows(200, 3), oddFeatures)
const width = featureWidth(fitted)
const labels = ['Adélie', 'Chinstrap "C"', 'Gentoo 🐧']
const weights = randomFloats(width * labels.length, 5)
const bias = randomFloats(labels.length, 6)
const metadata = { label: 'species', algorithm: 'logistic-regression' }

describe('an assembled classification model', () => {
  for (const headSoftmax of [false, true]) {
    const { bytes, inputs, outputs } = assembleModel({
      preprocess: tabularPreprocessGraph(fitted),
      head: linearHead(weights, width, labels.length, bias, headSoftmax),
      task: 'classification',
      labels,
      metadata,
    })

    it(`has one input per column and outputs label and probabilities (softmax in the head: ${headSoftmax})`, () => {
      expect(inputs.map((i) => i.name)).toEqual(oddFeatures.map((f) => f.name))
      expect(outputs).toEqual([
        { name: 'label', type: 'string', shape: ['N'] },
        { name: 'probabilities', type: 'float32', shape: ['N', 3] },
      ])
    })

    for (const runtime of runtimes) {
      it(`in ${runtime} matches the TS twin to 1e-5 with the right labels, for 1 and 33 rows (softmax in the head: ${headSoftmax})`, async () => {
        for (const count of [1, 33]) {
          const rows = oddRows(count, 77).map((r, i) => (i % 4 === 0 ? { ...r, 'größe — 種': 'unbekannt' } : r))
          const out = await runModel(runtime, bytes, tabularInputs(rows, fitted))
          const expected = linearScores(preprocessRows(rows, fitted), weights, width, labels.length, bias).map(softmax)
          expect(out.probabilities?.dims).toEqual([count, 3])
          expect(maxAbsDiff(floats(out, 'probabilities'), expected.flat())).toBeLessThanOrEqual(1e-5)
          const expectedLabels = expected.map((p) => labels[p.indexOf(Math.max(...p))])
          expect(out.label?.dims).toEqual([count])
          expect(strings(out, 'label')).toEqual(expectedLabels)
        }
      })
    }
  }

  it('keeps its metadata, labels included, inside the file', () => {
    const { bytes } = assembleModel({ preprocess: tabularPreprocessGraph(fitted), head: linearHead(weights, width, 3, bias, false), task: 'classification', labels, metadata })
    const stored = readModelMetadata(bytes)
    expect(stored?.labels).toEqual(labels)
    expect(stored?.task).toBe('classification')
    expect(stored?.features.map((f) => f.name)).toEqual(oddFeatures.map((f) => f.name))
    expect(stored?.outputs.map((o) => o.name)).toEqual(['label', 'probabilities'])
  })

  it('refuses fewer than two labels, or a column named like an output', () => {
    const head = linearHead(weights, width, 3, bias, false)
    expect(() => assembleModel({ preprocess: tabularPreprocessGraph(fitted), head, task: 'classification', labels: ['only'], metadata })).toThrow(/two labels/)
    const clash = fitTabularPreprocess([{ label: 1 }], [{ name: 'label', kind: 'number' }])
    const clashHead = linearHead(new Float32Array(3), 1, 3, bias, false)
    expect(() => assembleModel({ preprocess: tabularPreprocessGraph(clash), head: clashHead, task: 'classification', labels, metadata })).toThrow(/"label" is used twice/)
  })
})

describe('an assembled regression model', () => {
  const regressionWeights = randomFloats(width, 8)
  const { bytes, outputs } = assembleModel({
    preprocess: tabularPreprocessGraph(fitted),
    head: linearHead(regressionWeights, width, 1, Float32Array.of(0.5), false),
    task: 'regression',
    metadata: { label: 'flipper length', algorithm: 'linear-regression' },
  })

  for (const runtime of runtimes) {
    it(`in ${runtime} outputs prediction [N, 1] as the TS twin computes it`, async () => {
      expect(outputs).toEqual([{ name: 'prediction', type: 'float32', shape: ['N', 1] }])
      const rows = oddRows(33, 12)
      const out = await runModel(runtime, bytes, tabularInputs(rows, fitted))
      const expected = linearScores(preprocessRows(rows, fitted), regressionWeights, width, 1, Float32Array.of(0.5)).flat()
      expect(out.prediction?.dims).toEqual([33, 1])
      expect(maxAbsDiff(floats(out, 'prediction'), expected)).toBeLessThanOrEqual(1e-5)
    })
  }
})

describe('an assembled image classification model', () => {
  const size = { width: 4, height: 4 }
  const random = seeded(31)
  const images = [0, 1].map(() => ({ rgb: Uint8Array.from({ length: 6 * 5 * 3 }, () => Math.floor(random() * 256)), width: 6, height: 5 }))
  const fittedImage = fitImagePreprocess(images, size)
  const imageWidth = 3 * size.width * size.height
  const imageWeights = randomFloats(imageWidth * 2, 9)
  const imageBias = randomFloats(2, 10)
  const head: OnnxHead = {
    ...linearHead(imageWeights, imageWidth, 2, imageBias, false),
    // a head may ask for newer operator sets; preprocessing runs under them too
    opsets: { '': 18, 'ai.onnx.ml': 3 },
  }
  head.nodes = [node('Flatten', [headInput], ['linear/flat']), ...head.nodes.map((n) => ({ ...n, input: (n.input ?? []).map((i) => (i === headInput ? 'linear/flat' : i)) }))]
  const { bytes, inputs } = assembleModel({ preprocess: imagePreprocessGraph(fittedImage), head, task: 'classification', labels: ['cat', 'dog'], metadata: { label: 'label', algorithm: 'linear' } })

  for (const runtime of runtimes) {
    it(`in ${runtime} classifies raw pixels as the TS twin does`, async () => {
      expect(inputs).toEqual([{ name: 'image', type: 'uint8', shape: ['N', 'H', 'W', 3] }])
      const batch = Uint8Array.from([...images[0]!.rgb, ...images[1]!.rgb])
      const out = await runModel(runtime, bytes, { image: { type: 'uint8', data: batch, dims: [2, 5, 6, 3] } })
      const features = Float32Array.from(images.flatMap((im) => [...preprocessImage(im.rgb, im.width, im.height, fittedImage)]))
      const expected = linearScores(features, imageWeights, imageWidth, 2, imageBias).map(softmax)
      expect(maxAbsDiff(floats(out, 'probabilities'), expected.flat())).toBeLessThanOrEqual(1e-5)
      expect(strings(out, 'label')).toEqual(expected.map((p) => (p[0]! >= p[1]! ? 'cat' : 'dog')))
    })
  }

  it('stores the image feature and opsets merged from preprocessing and head', () => {
    const model = onnx.ModelProto.decode(bytes)
    expect(Object.fromEntries(model.opsetImport.map((o) => [o.domain, Number(o.version)]))).toEqual({ '': 18, 'ai.onnx.ml': 3 })
    expect([Number(model.irVersion), model.producerName]).toEqual([8, 'pipewright'])
    expect(readModelMetadata(bytes)?.features).toEqual([{ name: 'image', kind: 'image', width: 4, height: 4 }])
  })
})
