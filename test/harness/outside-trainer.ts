// What an external trainer does with a tabular handoff, done in the test: fit raw-input
// preprocessing on the handed-off rows and put a fixed linear head on it. A real ONNX model
// whose inputs are the manifest's features, without a training library.
import { withDuckDB } from '@/nodes/_lib/duckdb'
import { headInput, headOutput } from '@/nodes/_lib/models/onnx-head'
import { assembleModel } from '@/nodes/train-handoff/onnx/assemble'
import { floatTensor, node } from '@/nodes/train-handoff/onnx/builder'
import { featureWidth, fitTabularPreprocess, tabularPreprocessGraph, type TabularFeatureSpec } from '@/nodes/train-handoff/onnx/tabular-preprocess'

export interface TabularManifest {
  task: string
  label: string
  labels: string[]
  features: TabularFeatureSpec[]
  hyperparameters: Record<string, unknown>
}

export async function fitOutside(manifest: TabularManifest, parquetFile: string): Promise<Uint8Array> {
  const rows = await withDuckDB((db) => db.rows(`SELECT * FROM read_parquet('${parquetFile.replaceAll("'", "''")}')`))
  const fitted = fitTabularPreprocess(rows, manifest.features)
  const classes = manifest.labels.length
  const weights = Float32Array.from({ length: featureWidth(fitted) * classes }, (_, i) => ((i * 7) % 5) - 2)
  const head = { nodes: [node('MatMul', [headInput, 'h/W'], [headOutput])], initializers: [floatTensor('h/W', [featureWidth(fitted), classes], weights)], opsets: { '': 17 }, probabilities: false }
  return assembleModel({ preprocess: tabularPreprocessGraph(fitted), head, task: 'classification', labels: manifest.labels, metadata: { label: manifest.label, algorithm: 'outside' } }).bytes
}
